using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains;
using Vox.Grains.Capacity;
using Vox.Grains.Store;
using Vox.Testing;

namespace Vox.Grains.Tests;

/// <summary>A freshly migrated store of one dialect and a one-silo Orleans test cluster with Vox's grains over it.</summary>
public sealed class GrainTestContext : IAsyncDisposable
{
    private readonly TestOrleansCluster _cluster;

    private GrainTestContext(IGrainStore store, TestOrleansCluster cluster, CapacityOptions capacity)
    {
        _cluster = cluster;
        Store = store;
        Capacity = capacity;
        Grains = cluster.Grains;
    }

    public IGrainStore Store { get; }

    public CapacityOptions Capacity { get; }

    public IGrainFactory Grains { get; }

    public static async Task<GrainTestContext> CreateAsync(string dialect, CapacityOptions? capacity = null)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var options = TestDatabases.NewStore(dialect);
        IGrainStore store = options.Dialect == StoreDialect.Postgres
            ? new PostgresGrainStore(options, NullLogger<PostgresGrainStore>.Instance)
            : new SqliteGrainStore(options, NullLogger<SqliteGrainStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        capacity ??= new CapacityOptions();
        return new GrainTestContext(store, await TestOrleansCluster.StartAsync(options, capacity), capacity);
    }

    /// <summary>
    /// Starts another Orleans silo in the test cluster, with a store of its own over the same database (as another silo
    /// process has), and returns its grain factory.
    /// </summary>
    public Task<IGrainFactory> NewSiloAsync() => _cluster.StartSiloAsync();

    /// <summary>Kills the silo named <paramref name="name"/> as a crash would; returns the index of a silo still running.</summary>
    public Task<int> KillSiloAsync(string name) => _cluster.KillSiloAsync(name);

    /// <summary>The grain factory of the silo at <paramref name="index"/>.</summary>
    public Task<IGrainFactory> SiloGrainsAsync(int index) => Task.FromResult(_cluster.Silos[index]);

    /// <summary>Creates a tenant row directly, with an optional concurrency cap.</summary>
    public Task<string> CreateTenantAsync(int? cap = null) => Store.WriteAsync(async (c, t, ct) =>
    {
        var id = Ids.New("ten");
        await c.ExecuteAsync(Store.Sql("INSERT INTO tenants (id, name, max_concurrent_calls, created_at) VALUES (@Id, 'test', @Cap, {now})"), new { Id = id, Cap = cap }, t);
        return id;
    }, CancellationToken.None);

    /// <summary>Counts rows of a table.</summary>
    public Task<long> CountAsync(string table, string where = "1 = 1", object? args = null) =>
        Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {where}", args), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
