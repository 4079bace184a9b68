using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.Grains;
using Vox.Grains.Capacity;
using Vox.Grains.Store;
using Vox.Testing;

namespace Vox.Grains.Tests;

/// <summary>A freshly migrated store of one dialect with the grain factory over it.</summary>
public sealed class GrainTestContext : IAsyncDisposable
{
    private readonly StoreOptions _options;
    private readonly List<IGrainStore> _peers = [];

    private GrainTestContext(IGrainStore store, StoreOptions options, CapacityOptions capacity)
    {
        _options = options;
        Store = store;
        Capacity = capacity;
        Grains = new StoreGrainFactory(store, Options.Create(capacity), NullLoggerFactory.Instance);
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
        return new GrainTestContext(store, options, capacity ?? new CapacityOptions());
    }

    /// <summary>
    /// A grain factory over the same database through a store of its own, as another silo process has: its own
    /// connection pool and its own reservation queue.
    /// </summary>
    public IGrainFactory NewSilo()
    {
        IGrainStore store = _options.Dialect == StoreDialect.Postgres
            ? new PostgresGrainStore(_options, NullLogger<PostgresGrainStore>.Instance)
            : new SqliteGrainStore(_options, NullLogger<SqliteGrainStore>.Instance);
        _peers.Add(store);
        return new StoreGrainFactory(store, Options.Create(Capacity), NullLoggerFactory.Instance);
    }

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
        foreach (var store in _peers.Append(Store))
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
