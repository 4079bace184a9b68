using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Campaigns;
using Vox.Grains.Capacity;
using Vox.Grains.Dashboard;
using Vox.Grains.Cluster;
using Vox.Grains.Idempotency;
using Vox.Grains.Knowledge;
using Vox.Grains.Numbers;
using Vox.Grains.Reminders;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Grains.Webhooks;

namespace Vox.Grains;

/// <summary>Registers the grains, the store they run on and the reminder runtime.</summary>
public static class GrainsHostingExtensions
{
    /// <summary>Adds the store chosen by <c>Storage:Invariant</c>, every grain service, and the reminder runtime.</summary>
    public static IHostApplicationBuilder AddVoxGrains(this IHostApplicationBuilder builder)
    {
        // Columns are snake_case, row classes PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        var services = builder.Services;
        services.AddOptions<StoreOptions>().Bind(builder.Configuration.GetSection(StoreOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CapacityOptions>().Bind(builder.Configuration.GetSection(CapacityOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.HeartbeatIntervalMs * 2 <= o.WorkerTtlMs, "Fleet:HeartbeatIntervalMs must be at most half of Fleet:WorkerTtlMs, or live workers get reaped.")
            .ValidateOnStart();
        services.AddOptions<ReminderOptions>().Bind(builder.Configuration.GetSection(ReminderOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SiloIdentity>();
        // A silo replaces it with Orleans membership; hosts without an Orleans silo (gateway tests) show no Orleans silos.
        services.TryAddSingleton<IOrleansClusterView, NoOrleansClusterView>();
        services.AddSingleton<IGrainStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            return options.Dialect == StoreDialect.Postgres
                ? new PostgresGrainStore(options, loggers.CreateLogger<PostgresGrainStore>())
                : new SqliteGrainStore(options, loggers.CreateLogger<SqliteGrainStore>());
        });
        // Capacity grains are Orleans grains: a host without an Orleans silo (store tests) gets the store grains only.
        services.AddSingleton<IGrainFactory>(sp => new StoreGrainFactory(sp.GetRequiredService<IGrainStore>(), sp.GetService<Orleans.IGrainFactory>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<IOptions<CapacityOptions>>().Value.DefaultPool));
        services.AddSingleton<ITenantDirectory, TenantDirectory>();
        services.AddSingleton<IBotCatalog, BotCatalog>();
        services.AddSingleton<IIngressSecretStore, IngressSecretStore>();
        services.AddSingleton<ICallCatalog, CallCatalog>();
        services.AddSingleton<IDashboardReadModel, DashboardReadModel>();
        services.AddSingleton<IPhoneNumberCatalog, PhoneNumberCatalog>();
        services.AddSingleton<Trunks.ISipTrunkCatalog, Trunks.SipTrunkCatalog>();
        services.AddSingleton<IMembershipService, MembershipService>();
        services.AddSingleton<IReminderRegistry, ReminderRegistry>();
        services.AddSingleton<IIdempotencyStore, IdempotencyStore>();
        services.AddSingleton<ClusterSettings>();
        services.AddSingleton<ReminderRuntime>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderRuntime>());
        services.AddOptions<CampaignOptions>().Bind(builder.Configuration.GetSection(CampaignOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.TickIntervalMs < o.LeaseTtlMs, "Campaigns:TickIntervalMs must be below Campaigns:LeaseTtlMs, or the holder loses its lease between ticks.")
            .ValidateOnStart();
        services.TryAddSingleton<ICampaignDialer, UnavailableCampaignDialer>();
        services.AddSingleton<CampaignDirectory>();
        services.AddSingleton<ICampaignDirectory>(sp => sp.GetRequiredService<CampaignDirectory>());
        services.AddSingleton<IReminderHandler, CampaignTicker>();
        services.AddVoxWebhooks(builder.Configuration);
        services.AddVoxKnowledgeAndSecrets(builder.Configuration);
        return builder;
    }
}
