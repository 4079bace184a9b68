using Vox.Grains.Workers;
using Vox.Dashboard;
using Vox.Gateway;
using Vox.Grains;
using Vox.Grains.Recordings;
using Vox.Grains.Store;
using Vox.Silo.Internal;

namespace Vox.Silo.Hosting;

/// <summary>Composes a silo: the Orleans silo, grains on the store, the gateway's REST API, the internal API, membership and reminders.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Adds every silo service.</summary>
    public static WebApplicationBuilder AddVoxSilo(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddVoxConfiguration(args);
        builder.Services.AddOptions<SiloOptions>().Bind(builder.Configuration.GetSection(SiloOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ClusterOptions>().Bind(builder.Configuration.GetSection(ClusterOptions.Section));
        builder.WebHost.UseUrls(builder.Configuration[$"{SiloOptions.Section}:Urls"] ?? "http://127.0.0.1:5080");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });

        builder.AddVoxGrains();
        builder.AddVoxGateway();
        builder.AddVoxRecordings();
        builder.AddVoxDashboard();
        builder.AddVoxOrleans();
        builder.Services.AddSingleton<ClusterToken>();
        builder.Services.AddSingleton<IWorkerControl>(sp => new HttpWorkerControl(
            new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, () => sp.GetRequiredService<ClusterToken>().Value));
        builder.Services.AddSingleton(sp => new Vox.Gateway.Ingress.IngressWorkerToken(() => sp.GetRequiredService<ClusterToken>().Value));
        builder.Services.AddSingleton<Vox.Gateway.Sip.Media.IClusterTokenSource>(sp => sp.GetRequiredService<ClusterToken>());
        builder.Services.AddSingleton<SiloAddress>();
        builder.Services.AddSingleton<Vox.Gateway.Sip.Media.IGatewayAddress>(sp => sp.GetRequiredService<SiloAddress>());
        builder.Services.AddSingleton<ClusterTokenFilter>();
        builder.Services.AddHostedService<SiloStartup>();
        builder.Services.AddHostedService<MembershipAgent>();
        builder.Services.AddOptions<LocalWorkerOptions>().Bind(builder.Configuration.GetSection("Fleet")).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LocalWorkerSupervisor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LocalWorkerSupervisor>());
        builder.Services.AddSingleton<SiloShutdown>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SiloShutdown>());
        // The host's own limit leaves room for the grace period and the hang-ups after it.
        var grace = builder.Configuration.GetValue($"{SiloOptions.Section}:ShutdownGraceSeconds", 30);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(0, grace) + 30));
        return builder;
    }

    /// <summary>Maps health, the internal API, the REST API and the dashboard.</summary>
    public static WebApplication MapVoxSilo(this WebApplication app)
    {
        app.MapGet("/healthz", HealthAsync).ExcludeFromDescription();
        app.MapInternalApi();
        app.MapVoxApi();
        app.MapVoxDashboard();
        app.MapVoxOrleans();
        return app;
    }

    private static async Task<IResult> HealthAsync(IGrainStore store, Vox.Grains.Cluster.SiloIdentity silo, SiloShutdown shutdown, CancellationToken ct)
    {
        if (shutdown.Stopping)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Stopping",
                detail: $"Silo {silo.SiloId} is shutting down: it takes no new calls and lets live ones finish.");
        }

        try
        {
            await store.ReadAsync(async (connection, token) =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                return await command.ExecuteScalarAsync(token);
            }, ct);
            return TypedResults.Ok(new { status = "ok", silo = silo.SiloId, store = store.Dialect.ToString().ToLowerInvariant() });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Store unreachable", detail: ex.Message);
        }
    }
}
