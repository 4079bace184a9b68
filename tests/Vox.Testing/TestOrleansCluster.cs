using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using Vox.Grains;
using Vox.Grains.Capacity;
using Vox.Grains.Store;

namespace Vox.Testing;

/// <summary>
/// Orleans' in-process test cluster with Vox's grains over one store: each silo has a store of its own over the same
/// database (its own connection pool, as a silo process has) and a <see cref="StoreGrainFactory"/> over its Orleans runtime.
/// </summary>
public sealed class TestOrleansCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private TestOrleansCluster(InProcessTestCluster cluster) => _cluster = cluster;

    /// <summary>The silos' Vox grain factories, one per silo, in start order.</summary>
    public IReadOnlyList<IGrainFactory> Silos => _cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>()).ToList();

    /// <summary>The first silo's Vox grain factory.</summary>
    public IGrainFactory Grains => Silos[0];

    /// <summary>Starts <paramref name="silos"/> silos over <paramref name="store"/>.</summary>
    public static async Task<TestOrleansCluster> StartAsync(StoreOptions store, CapacityOptions? capacity = null, int silos = 1, TimeProvider? time = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.InitializeClientOnDeploy = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Logging.ClearProviders();
            host.Services.AddSingleton<IGrainStore>(_ => store.Dialect == StoreDialect.Postgres
                ? new PostgresGrainStore(store, NullLogger<PostgresGrainStore>.Instance)
                : new SqliteGrainStore(store, NullLogger<SqliteGrainStore>.Instance));
            host.Services.AddSingleton(Options.Create(capacity ?? new CapacityOptions()));
            host.Services.AddSingleton(time ?? TimeProvider.System);
            host.Services.AddSingleton<IGrainFactory>(sp => new StoreGrainFactory(sp.GetRequiredService<IGrainStore>(),
                sp.GetRequiredService<Orleans.IGrainFactory>(), sp.GetRequiredService<ILoggerFactory>()));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TestOrleansCluster(cluster);
    }

    /// <summary>Starts one more silo and returns its Vox grain factory.</summary>
    public async Task<IGrainFactory> StartSiloAsync()
    {
        var silo = await _cluster.StartAdditionalSiloAsync();
        return silo.ServiceProvider.GetRequiredService<IGrainFactory>();
    }

    /// <summary>Stops the silo at <paramref name="index"/> abruptly (no graceful handover), as a crash would.</summary>
    public Task KillSiloAsync(int index) => _cluster.KillSiloAsync(_cluster.Silos[index]);

    /// <summary>Kills the silo named <paramref name="name"/> (a grain's host, say) and returns the index of a silo still running.</summary>
    public async Task<int> KillSiloAsync(string name)
    {
        var victim = _cluster.Silos.Single(s => s.Name == name);
        await _cluster.KillSiloAsync(victim);
        return _cluster.Silos.ToList().FindIndex(s => s.IsActive);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _cluster.StopAllSilosAsync();
        }
        finally
        {
            await _cluster.DisposeAsync();
        }
    }
}
