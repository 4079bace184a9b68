using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.Grains.Campaigns;
using Vox.Grains.Cluster;
using Vox.Grains.Reminders;
using Vox.Testing;

namespace Vox.Grains.Tests.Campaigns;

public sealed class CampaignTickerTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Starting_registers_a_tick_reminder_whose_firing_takes_the_lease_and_launches_and_cancel_removes_it(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect);
        var grain = await rig.StartAsync(rig.Spec(60, 5), CampaignTestRig.Contacts(3));
        var silo = new SiloIdentity();
        var runtime = new ReminderRuntime(rig.Ctx.Store, [new CampaignTicker(rig.Campaigns, silo, NullLogger<CampaignTicker>.Instance)], silo,
            Options.Create(new ReminderOptions()), TimeProvider.System, NullLogger<ReminderRuntime>.Instance);

        Assert.Equal(1, await runtime.RunOnceAsync(CancellationToken.None));

        Assert.Equal(2, rig.Dialer.Launches.Count);
        var holder = await rig.Ctx.Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<string>("SELECT lease_holder FROM campaigns WHERE id = @Id", new { Id = grain.Key }), CancellationToken.None);
        Assert.Equal(silo.SiloId, holder);
        var registry = new ReminderRegistry(rig.Ctx.Store);
        Assert.Contains(await registry.ListAsync(CancellationToken.None), r => r.GrainType == CampaignGrain.GrainType && r.GrainKey == grain.Key);

        await grain.ChangeStatusAsync(rig.TenantId, CampaignStatus.Cancelled, CancellationToken.None);
        Assert.DoesNotContain(await registry.ListAsync(CancellationToken.None), r => r.GrainType == CampaignGrain.GrainType);
        Assert.Equal(3, (await grain.GetProgressAsync(rig.TenantId, CancellationToken.None)).Contacts[ContactStates.Cancelled]);
    }
}
