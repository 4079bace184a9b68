using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.Grains.Bots;
using Vox.Grains.Campaigns;
using Vox.Grains.Capacity;
using Vox.Grains.Reminders;

namespace Vox.Grains.Tests.Campaigns;

/// <summary>A migrated store with a tenant, workers, a manual clock, a fake dialer and the campaign directory over them.</summary>
public sealed class CampaignTestRig : IAsyncDisposable
{
    private CampaignTestRig(GrainTestContext ctx, string tenantId, ManualTimeProvider time, FakeCampaignDialer dialer, CampaignDirectory campaigns)
    {
        Ctx = ctx;
        TenantId = tenantId;
        Time = time;
        Dialer = dialer;
        Campaigns = campaigns;
    }

    /// <summary>Monday 5 January 2026, 08:00 UTC.</summary>
    public static DateTimeOffset Monday8Utc { get; } = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    public GrainTestContext Ctx { get; }

    public string TenantId { get; }

    public ManualTimeProvider Time { get; }

    public FakeCampaignDialer Dialer { get; }

    public CampaignDirectory Campaigns { get; }

    public static async Task<CampaignTestRig> CreateAsync(string dialect, int workers = 50, double inboundReserve = 0, bool reserve = false, int leaseTtlMs = 10_000, int orphanAfterMs = 30_000)
    {
        var ctx = await GrainTestContext.CreateAsync(dialect, new CapacityOptions { InboundReserveRatio = inboundReserve });
        var tenant = await ctx.CreateTenantAsync();
        await ctx.Grains.GetGrain<IBotGrain>("bot_test_" + tenant).CreateAsync(tenant, new BotDefinition { Name = "campaign bot" }, CancellationToken.None);
        var pool = ctx.Grains.GetGrain<ICapacityGrain>("default");
        for (var i = 0; i < workers; i++)
        {
            await pool.RegisterWorkerAsync(new WorkerRegistration($"w{i}", "host", $"ws://127.0.0.1:{9000 + i}/media", "127.0.0.1", "test"), CancellationToken.None);
        }

        var time = new ManualTimeProvider(Monday8Utc);
        var dialer = new FakeCampaignDialer(ctx.Grains, time, reserve);
        var campaigns = new CampaignDirectory(ctx.Store, ctx.Grains, dialer, new ReminderRegistry(ctx.Store),
            Options.Create(new CampaignOptions { TickIntervalMs = 2_000, LeaseTtlMs = leaseTtlMs, OrphanAfterMs = orphanAfterMs }), Options.Create(ctx.Capacity), time, NullLoggerFactory.Instance);
        return new CampaignTestRig(ctx, tenant, time, dialer, campaigns);
    }

    public CampaignSpec Spec(int callsPerMinute = 30, int maxConcurrent = 5, RetryPolicy? retry = null, IReadOnlyList<CallingWindow>? windows = null) =>
        new("test", "bot_test_" + TenantId, null, "+15550000000", callsPerMinute, maxConcurrent, retry ?? RetryPolicy.Default, windows ?? [], null, null);

    public static IReadOnlyList<CampaignContactInput> Contacts(int count, string zone = "Europe/Paris") =>
        Enumerable.Range(0, count).Select(i => new CampaignContactInput($"+3361{i:D7}", $"Contact {i}", zone, new Dictionary<string, string> { ["i"] = $"{i}" })).ToList();

    /// <summary>Creates, fills and starts a campaign.</summary>
    public async Task<CampaignGrain> StartAsync(CampaignSpec spec, IReadOnlyList<CampaignContactInput> contacts)
    {
        var id = Ids.New("cmp");
        var grain = Campaigns.Create(id);
        await grain.CreateAsync(TenantId, spec, CancellationToken.None);
        await grain.ImportContactsAsync(TenantId, contacts, CancellationToken.None);
        await grain.ChangeStatusAsync(TenantId, CampaignStatus.Running, CancellationToken.None);
        return grain;
    }

    public ValueTask DisposeAsync() => Ctx.DisposeAsync();
}
