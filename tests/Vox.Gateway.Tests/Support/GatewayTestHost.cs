using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Testing;

namespace Vox.Gateway.Tests.Support;

/// <summary>The gateway on a test server over a fresh store of one dialect, wired the way a silo wires it.</summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayTestHost(WebApplication app, CapturingLoggerProvider logs)
    {
        _app = app;
        Logs = logs;
    }

    /// <summary>Every log line the host wrote.</summary>
    public CapturingLoggerProvider Logs { get; }

    /// <summary>The host's services (grains, directory, store).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The tenant directory, to make tenants and keys behind the API's back.</summary>
    public ITenantDirectory Directory => Services.GetRequiredService<ITenantDirectory>();

    /// <summary>The grain factory.</summary>
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts a host on a new database of <paramref name="dialect"/> (sqlite or postgres).</summary>
    public static async Task<GatewayTestHost> StartAsync(string dialect, Action<IServiceCollection>? configureServices = null)
    {
        var store = TestDatabases.NewStore(dialect);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Invariant"] = store.Invariant,
            ["Storage:ConnectionString"] = store.ConnectionString,
            ["Reminders:PollIntervalMs"] = "60000",
            ["Sip:Enabled"] = "false",
            ["Agi:Enabled"] = "false",
        });
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.AddVoxGrains();
        // The pool grains are Orleans grains: a one-silo cluster of this host's own, on ports of its own.
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next(), serviceId: "vox-test", clusterId: "gateway-" + Guid.NewGuid().ToString("N")));
        builder.AddVoxGateway();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        await app.Services.GetRequiredService<IGrainStore>().MigrateAsync(CancellationToken.None);
        app.MapVoxApi();
        await app.StartAsync();
        return new GatewayTestHost(app, logs);
    }

    /// <summary>A client that sends <paramref name="apiKey"/> as a bearer token, or no key when null.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = _app.GetTestClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A new tenant and a key for it, made through the directory.</summary>
    public async Task<TestTenant> CreateTenantAsync(string name, bool admin = false)
    {
        var tenant = await Directory.CreateTenantAsync(name, null, CancellationToken.None);
        var key = await Directory.CreateApiKeyAsync(tenant.Id, name + " key", admin, CancellationToken.None);
        return new TestTenant(tenant.Id, key.Key, key.Info.Id, CreateClient(key.Key));
    }

    /// <summary>A bot made through the grain, for tests about other resources.</summary>
    public async Task<string> CreateBotAsync(string tenantId, string name = "Test bot")
    {
        var id = "bot_" + Guid.CreateVersion7().ToString("N");
        await Grains.GetGrain<IBotGrain>(id).CreateAsync(tenantId, new BotDefinition { Name = name }, CancellationToken.None);
        return id;
    }

    /// <summary>A call started through the call grain.</summary>
    public async Task<string> StartCallAsync(string tenantId, string botId, CallDirection direction = CallDirection.Inbound, string? from = "+14155550100", string? to = "+14155550199")
    {
        var id = "call_" + Guid.CreateVersion7().ToString("N");
        await Grains.GetGrain<ICallGrain>(id).StartAsync(new CallStart(tenantId, botId, direction, "test", from, to), CancellationToken.None);
        return id;
    }

    /// <summary>Rows in <paramref name="table"/> (a constant from the test, never user input).</summary>
    public Task<long> CountAsync(string table) =>
        Services.GetRequiredService<IGrainStore>().ReadAsync(
            (connection, ct) => connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {table}", cancellationToken: ct)), CancellationToken.None);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>JSON as the API writes it.</summary>
    public static JsonSerializerOptions Json => VoxJson.Options;
}
