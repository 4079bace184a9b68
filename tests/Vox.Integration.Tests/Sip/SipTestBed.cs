using Dapper;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Numbers;
using Vox.Testing;

namespace Vox.Integration.Tests.Sip;

/// <summary>A silo with SIP on a free port, local workers on the offline voice stack, a tenant, a bot and its number.</summary>
public sealed class SipTestBed : IAsyncDisposable
{
    public const string Number = "+14155550199";

    private SipTestBed(TestCluster cluster, int sipPort, string tenantId, string botId)
    {
        Cluster = cluster;
        SipPort = sipPort;
        TenantId = tenantId;
        BotId = botId;
    }

    public TestCluster Cluster { get; }

    public int SipPort { get; }

    public string TenantId { get; }

    public string BotId { get; }

    public IGrainFactory Grains => Cluster.Grains(0);

    public ICapacityGrain Pool => Grains.GetGrain<ICapacityGrain>("default");

    public static BotDefinition Greeter => new()
    {
        Name = "SIP greeter",
        FirstMessage = "Hello, thanks for calling Vox over SIP. How can I help you today?",
        FarewellMessage = "Goodbye!",
        TurnTaking = new TurnTakingSettings { EndOfTurnSilenceMs = 600 },
    };

    public static async Task<SipTestBed> StartAsync(int workers = 1, IReadOnlyDictionary<string, string>? settings = null, BotDefinition? bot = null, string? trunk = null, int silos = 1)
    {
        var sipPort = FreePort.Next();
        var all = new Dictionary<string, string>
        {
            ["Fleet:LocalWorkers"] = workers.ToString(),
            ["Fleet:LocalWorkerBasePort"] = "0",
            ["Sip:Enabled"] = "true",
            ["Sip:ListenAddress"] = "127.0.0.1",
            ["Sip:Port"] = sipPort.ToString(),
            ["Logging:LogLevel:Vox.Gateway.Sip"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        // Silo 0 carries the SIP traffic and the workers; any others only serve the API (as behind a load balancer).
        // A SQLite store serves one silo: a cluster runs on PostgreSQL.
        var cluster = await TestCluster.StartAsync(silos > 1 ? "postgres" : "sqlite", silos, all, i => i == 0
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["Sip:Enabled"] = "false", ["Fleet:LocalWorkers"] = "0" });
        var tenant = await cluster.Tenants.CreateTenantAsync("sip-" + Guid.NewGuid().ToString("N")[..6], null, CancellationToken.None);
        var grains = cluster.Grains(0);
        var botId = "bot_sip_" + Guid.NewGuid().ToString("N")[..8];
        await grains.GetGrain<IBotGrain>(botId).CreateAsync(tenant.Id, bot ?? Greeter, CancellationToken.None);
        await new PhoneNumberCatalog(cluster.Store).CreateAsync(tenant.Id, new PhoneNumberInput { Number = Number, BotId = botId, Trunk = trunk }, CancellationToken.None);
        var bed = new SipTestBed(cluster, sipPort, tenant.Id, botId);
        if (workers > 0)
        {
            await WaitForAsync(async () => (await bed.Pool.GetSnapshotAsync(CancellationToken.None)).Idle == workers, TimeSpan.FromSeconds(90), "the local workers register");
        }

        return bed;
    }

    /// <summary>The ids of the SIP calls on the store, oldest first.</summary>
    public async Task<IReadOnlyList<string>> CallIdsAsync() =>
        (await Cluster.Store.ReadAsync((c, ct) => c.QueryAsync<string>(new CommandDefinition("SELECT id FROM calls WHERE transport = 'sip' ORDER BY created_at", cancellationToken: ct)), CancellationToken.None)).ToList();

    /// <summary>Waits until the call has its result (or just ended, when <paramref name="withResult"/> is false).</summary>
    public async Task<CallRecord> WaitForEndAsync(string callId, bool withResult, TimeSpan timeout)
    {
        CallRecord record = null!;
        await WaitForAsync(async () =>
        {
            record = await Grains.GetGrain<ICallGrain>(callId).GetAsync(null, CancellationToken.None);
            return record.State == CallState.Ended && (!withResult || record.ResultId is not null);
        }, timeout, $"call {callId} ends");
        return record;
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting until {what}.");
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
