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
        var ticker = new CampaignTicker(rig.Campaigns, silo, Options.Create(new CampaignOptions { LeaseTtlMs = 10_000 }), NullLogger<CampaignTicker>.Instance);
        var runtime = new ReminderRuntime(rig.Ctx.Store, [ticker], silo,
            Options.Create(new ReminderOptions { ClaimTtlMs = 30_000 }), TimeProvider.System, NullLogger<ReminderRuntime>.Instance);

        // While the tick runs, its claim on the reminder lasts a lease TTL, not the runtime's default: a silo dying here
        // would hold the campaign up no longer than its lease does.
        var claimLeft = new List<long>();
        rig.Dialer.BeforeDial = async _ => claimLeft.Add(await rig.Ctx.Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<long>(rig.Ctx.Store.Sql(
            "SELECT claim_expires_at - {now} FROM reminders WHERE grain_type = 'campaign' AND grain_key = @Key"), new { Key = grain.Key }), CancellationToken.None));

        Assert.Equal(1, await runtime.RunOnceAsync(CancellationToken.None));

        Assert.Equal(2, rig.Dialer.Launches.Count);
        Assert.All(claimLeft, left => Assert.InRange(left, 5_000, 10_000));
        Assert.All(rig.Dialer.Launches, l => Assert.Equal(CampaignCallIds.For(grain.Key, l.Dial.ContactId, l.Dial.AttemptNo), l.CallId));
        var holder = await rig.Ctx.Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<string>("SELECT lease_holder FROM campaigns WHERE id = @Id", new { Id = grain.Key }), CancellationToken.None);
        Assert.Equal(silo.SiloId, holder);
        var registry = new ReminderRegistry(rig.Ctx.Store);
        Assert.Contains(await registry.ListAsync(CancellationToken.None), r => r.GrainType == CampaignGrain.GrainType && r.GrainKey == grain.Key);

        await grain.ChangeStatusAsync(rig.TenantId, CampaignStatus.Cancelled, CancellationToken.None);
        Assert.DoesNotContain(await registry.ListAsync(CancellationToken.None), r => r.GrainType == CampaignGrain.GrainType);
        Assert.Equal(3, (await grain.GetProgressAsync(rig.TenantId, CancellationToken.None)).Contacts[ContactStates.Cancelled]);
    }
}
