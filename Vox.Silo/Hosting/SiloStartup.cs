using System.Diagnostics;
using Microsoft.Extensions.Options;
using Vox.Grains.Cluster;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Grains.Workers;

namespace Vox.Silo.Hosting;

/// <summary>Work done once before the silo serves: migrate the store, load the cluster token, bootstrap; then the banner.</summary>
public sealed partial class SiloStartup(
    IGrainStore store,
    ClusterToken token,
    ITenantDirectory tenants,
    IOptions<StoreOptions> storeOptions,
    SiloIdentity silo,
    SiloAddress address,
    IConfiguration configuration,
    IOrleansClusterView orleans,
    IHostApplicationLifetime lifetime,
    ILogger<SiloStartup> logger) : IHostedLifecycleService
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private CreatedApiKey? _bootstrap;

    /// <inheritdoc />
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        await token.InitializeAsync(cancellationToken);
        _bootstrap = await tenants.EnsureBootstrapAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var voice = OfflineVoiceProbe.Check(configuration);
            SiloBanner.Print(silo, storeOptions.Value, address.Current, token, _bootstrap, voice, _clock.Elapsed, orleans.Cluster);
            if (!voice.Ready)
            {
                LogOfflineVoiceMissing(logger, voice.Reason ?? "", voice.Fix ?? "");
            }

            LogStarted(logger, silo.SiloId, address.Current, storeOptions.Value.Dialect);
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The offline voice is not installed on this host; its media workers take no calls: {Reason}. Fix: {Fix}")]
    private static partial void LogOfflineVoiceMissing(ILogger logger, string reason, string fix);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloId} listening at {Url} on the {Dialect} store")]
    private static partial void LogStarted(ILogger logger, string siloId, string url, StoreDialect dialect);
}
