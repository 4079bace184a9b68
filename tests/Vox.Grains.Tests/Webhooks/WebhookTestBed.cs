using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Cluster;
using Vox.Grains.Secrets;
using Vox.Grains.Webhooks;

namespace Vox.Grains.Tests.Webhooks;

/// <summary>A fresh store with a tenant, a bot, the webhook services over it and an in-process receiver.</summary>
public sealed class WebhookTestBed : IAsyncDisposable
{
    private WebhookTestBed(GrainTestContext ctx, string tenant)
    {
        Ctx = ctx;
        Tenant = tenant;
        Catalog = new WebhookCatalog(ctx.Store, Cipher);
        Deliveries = new WebhookDeliveries(ctx.Store);
    }

    public GrainTestContext Ctx { get; }

    /// <summary>The key signing secrets are sealed with (<c>Secrets:Key</c>), so every dispatcher test signs with decrypted secrets.</summary>
    public static string Key { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public SecretCipher Cipher { get; } = new(new SecretsOptions { Key = Key });

    public string Tenant { get; }

    public WebhookCatalog Catalog { get; }

    public WebhookDeliveries Deliveries { get; }

    public FakeWebhookReceiver Receiver { get; } = new();

    public static async Task<WebhookTestBed> CreateAsync(string dialect)
    {
        var ctx = await GrainTestContext.CreateAsync(dialect);
        var tenant = await ctx.CreateTenantAsync();
        await ctx.Grains.GetGrain<IBotGrain>("bot_w").CreateAsync(tenant, new BotDefinition { Name = "w" }, CancellationToken.None);
        return new WebhookTestBed(ctx, tenant);
    }

    /// <summary>Options with fast, jitter-free retries unless changed.</summary>
    public static WebhookOptions FastOptions(Action<WebhookOptions>? change = null)
    {
        // Requests and claims outlive any stall of a loaded test machine (a timed-out attempt would be retried and
        // counted twice); the lapse-and-take-over and timeout paths have tests of their own.
        var options = new WebhookOptions { InitialBackoffMs = 100, MaxBackoffMs = 400, JitterRatio = 0, RequestTimeoutMs = 10_000, ClaimTtlMs = 30_000 };
        change?.Invoke(options);
        return options;
    }

    public WebhookDispatcher Dispatcher(WebhookOptions? options = null, SecretCipher? cipher = null) =>
        new(Ctx.Store, Receiver, new SiloIdentity(), Options.Create(options ?? FastOptions()), TimeProvider.System, NullLogger<WebhookDispatcher>.Instance, cipher ?? Cipher);

    /// <summary>An endpoint of <paramref name="tenant"/> (the bed's by default) whose secret the receiver knows.</summary>
    public async Task<CreatedWebhookEndpoint> EndpointAsync(string url, string[]? types = null, bool enabled = true, string? tenant = null)
    {
        var created = await Catalog.CreateAsync(tenant ?? Tenant, new WebhookEndpointInput { Url = url, EventTypes = types ?? ["*"], Enabled = enabled }, CancellationToken.None);
        Receiver.Secrets[url] = created.Secret;
        return created;
    }

    public async Task<ICallGrain> StartCallAsync(string callId, string? tenant = null, string bot = "bot_w")
    {
        var call = Ctx.Grains.GetGrain<ICallGrain>(callId);
        await call.StartAsync(new CallStart(tenant ?? Tenant, bot, CallDirection.Inbound, "twilio", "+14155550100", "+14155550101"), CancellationToken.None);
        return call;
    }

    /// <summary>(event type, endpoint id) of every delivery, sorted.</summary>
    public async Task<List<(string Type, string EndpointId)>> DeliveryTargetsAsync() =>
        (await Ctx.Store.ReadAsync((c, ct) => c.QueryAsync<(string Type, string EndpointId)>(
            "SELECT v.type, d.endpoint_id FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id ORDER BY v.type, d.endpoint_id"), CancellationToken.None))
        .ToList();

    /// <summary>Runs the dispatcher until no delivery is pending or <paramref name="timeout"/> passes.</summary>
    public async Task DrainAsync(WebhookDispatcher dispatcher, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && await Ctx.CountAsync("webhook_deliveries", "status = 'pending'") > 0)
        {
            await dispatcher.RunOnceAsync(CancellationToken.None);
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Receiver.Dispose();
        await Ctx.DisposeAsync();
    }
}
