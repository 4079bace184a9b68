using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Vox.Dashboard.Authentication;
using Vox.Grains.Cluster;
using Vox.Grains.Store;

namespace Vox.Silo.Hosting;

/// <summary>Hosts the Orleans silo in the silo's ASP.NET Core app: cluster identity, endpoints, clustering per store, membership timings, dashboard.</summary>
public static class OrleansHostingExtensions
{
    /// <summary>The Orleans dashboard's path: under <c>/dashboard</c> so the Vox dashboard's sign-in cookie (path <c>/dashboard</c>) reaches it.</summary>
    public const string DashboardPath = DashboardAuth.BasePath + "/orleans";

    /// <summary>
    /// Adds the Orleans silo. SQLite (embedded): one silo with localhost clustering. PostgreSQL: ADO.NET clustering on the store's
    /// database, whose schema and queries are Vox migration 0011.
    /// </summary>
    public static WebApplicationBuilder AddVoxOrleans(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = Read(configuration);
        var errors = new OrleansOptionsValidator().Validate(null, options);
        if (errors.Failed)
        {
            // Fail before Orleans does, with the key to fix rather than an Orleans option name.
            throw new OptionsValidationException(OrleansOptions.Section, typeof(OrleansOptions), errors.Failures);
        }

        builder.Services.AddOptions<OrleansOptions>().Configure(o => Bind(configuration, o));
        builder.Services.AddSingleton<IValidateOptions<OrleansOptions>, OrleansOptionsValidator>();
        var store = configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
        var clustering = store.Dialect == StoreDialect.Postgres ? "ADO.NET (PostgreSQL)" : "localhost (one silo)";
        if (store.Dialect == StoreDialect.Sqlite)
        {
            builder.Services.AddSingleton(SqliteSiloLock.Acquire(store));
        }

        builder.UseOrleans(silo =>
        {
            if (store.Dialect == StoreDialect.Postgres)
            {
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = store.ConnectionString;
                });
                if (options.AdvertisedIPAddress.Length > 0)
                {
                    silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedIPAddress), options.SiloPort, options.GatewayPort, options.ListenOnAnyHostAddress);
                }
                else
                {
                    silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: options.ListenOnAnyHostAddress);
                }
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            }

            silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            silo.Configure<ClusterMembershipOptions>(o => Apply(options.Membership, o));
            if (options.Dashboard)
            {
                silo.AddDashboard();
            }
        });

        // The Orleans silo name is the Vox silo id, so Orleans membership and the Vox fleet view name a silo alike.
        builder.Services.AddOptions<Orleans.Configuration.SiloOptions>().Configure<SiloIdentity>((o, identity) => o.SiloName = identity.SiloId);
        builder.Services.AddSingleton<IOrleansClusterView>(sp => ActivatorUtilities.CreateInstance<OrleansClusterView>(sp, clustering));
        return builder;
    }

    /// <summary>Maps the Orleans dashboard behind the Vox dashboard's admin sign-in, when enabled.</summary>
    public static WebApplication MapVoxOrleans(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<OrleansOptions>>().Value.Dashboard)
        {
            app.MapOrleansDashboard(DashboardPath).RequireAuthorization(DashboardAuth.AdminPolicy);
        }

        return app;
    }

    private static OrleansOptions Read(IConfiguration configuration)
    {
        var options = new OrleansOptions();
        Bind(configuration, options);
        return options;
    }

    // The top-level ClusterId/ServiceId of older config files still count when the Orleans section leaves them out.
    private static void Bind(IConfiguration configuration, OrleansOptions options)
    {
        options.ClusterId = configuration["ClusterId"] ?? options.ClusterId;
        options.ServiceId = configuration["ServiceId"] ?? options.ServiceId;
        configuration.GetSection(OrleansOptions.Section).Bind(options);
    }

    private static void Apply(OrleansMembershipOptions from, ClusterMembershipOptions to)
    {
        to.ProbeTimeout = TimeSpan.FromMilliseconds(from.ProbeTimeoutMs);
        to.MaxProbeTimeout = TimeSpan.FromMilliseconds(from.MaxProbeTimeoutMs);
        to.NumMissedProbesLimit = from.NumMissedProbesLimit;
        to.NumProbedSilos = from.NumProbedSilos;
        to.NumVotesForDeathDeclaration = from.NumVotesForDeathDeclaration;
        to.DeathVoteExpirationTimeout = TimeSpan.FromMilliseconds(from.DeathVoteExpirationTimeoutMs);
        to.TableRefreshTimeout = TimeSpan.FromMilliseconds(from.TableRefreshTimeoutMs);
        to.IAmAliveTablePublishTimeout = TimeSpan.FromMilliseconds(from.IAmAliveTablePublishTimeoutMs);
        to.MaxJoinAttemptTime = TimeSpan.FromMilliseconds(from.MaxJoinAttemptTimeMs);
    }
}
