using Vox.Grains.Cluster;
using Vox.Testing;

namespace Vox.Grains.Tests.Cluster;

public sealed class MembershipServiceTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Silent_silo_turns_dead_after_its_ttl_and_a_leaving_one_shows_left(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var membership = new MembershipService(ctx.Store);
        await membership.RegisterAsync(new SiloRegistration("s1", "h1", "http://127.0.0.1:1", 400, null), CancellationToken.None);
        await membership.RegisterAsync(new SiloRegistration("s2", "h2", "http://127.0.0.1:2", 60_000, null), CancellationToken.None);
        await membership.RegisterAsync(new SiloRegistration("s3", "h3", "http://127.0.0.1:3", 60_000, null), CancellationToken.None);
        await membership.LeaveAsync("s3", CancellationToken.None);
        await Task.Delay(600);
        Assert.True(await membership.HeartbeatAsync("s2", CancellationToken.None));
        Assert.False(await membership.HeartbeatAsync("s3", CancellationToken.None));
        var statuses = (await membership.ListAsync(CancellationToken.None)).ToDictionary(s => s.SiloId, s => s.Status);
        Assert.Equal("dead", statuses["s1"]);
        Assert.Equal("active", statuses["s2"]);
        Assert.Equal("left", statuses["s3"]);
    }
}
