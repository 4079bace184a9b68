using Vox.Grains.Idempotency;
using Vox.Testing;

namespace Vox.Grains.Tests.Idempotency;

public sealed class IdempotencyStoreTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Key_runs_once_then_replays_and_refuses_another_body(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var store = new IdempotencyStore(ctx.Store);
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => store.TryBeginAsync("t1", "k1", "fp", CancellationToken.None)));
        Assert.Equal(1, claims.Count(c => c.Status == IdempotencyStatus.Started));
        Assert.All(claims.Where(c => c.Status != IdempotencyStatus.Started), c => Assert.Equal(IdempotencyStatus.InProgress, c.Status));
        await store.CompleteAsync("t1", "k1", 201, "application/json", "{\"id\":1}", CancellationToken.None);
        var replay = await store.TryBeginAsync("t1", "k1", "fp", CancellationToken.None);
        Assert.Equal((IdempotencyStatus.Replay, 201, "{\"id\":1}"), (replay.Status, replay.StatusCode, replay.Body));
        Assert.Equal(IdempotencyStatus.Mismatch, (await store.TryBeginAsync("t1", "k1", "other", CancellationToken.None)).Status);
        Assert.Equal(IdempotencyStatus.Started, (await store.TryBeginAsync("t2", "k1", "fp", CancellationToken.None)).Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Abandoned_claim_can_be_started_again(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var store = new IdempotencyStore(ctx.Store);
        await store.TryBeginAsync("t1", "k1", "fp", CancellationToken.None);
        await store.AbandonAsync("t1", "k1", CancellationToken.None);
        Assert.Equal(IdempotencyStatus.Started, (await store.TryBeginAsync("t1", "k1", "fp", CancellationToken.None)).Status);
    }
}
