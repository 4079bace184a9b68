using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains;
using Vox.Grains.Internal;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Testing;

namespace Vox.Integration.Tests;

/// <summary>Several real silo processes on one store, plus a direct connection to that store for assertions.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string Token = "integration-cluster-token";

    private readonly List<HttpClient> _clients = [];

    private TestCluster(IGrainStore store, StoreOptions options, IReadOnlyList<SiloProcess> silos)
    {
        Store = store;
        StoreOptions = options;
        Silos = silos;
        foreach (var silo in silos)
        {
            _clients.Add(new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(silo.Url), Timeout = TimeSpan.FromSeconds(100) });
        }
    }

    public IGrainStore Store { get; }

    public StoreOptions StoreOptions { get; }

    public IReadOnlyList<SiloProcess> Silos { get; }

    /// <summary>
    /// Starts <paramref name="count"/> silos on a fresh database of <paramref name="dialect"/>; <paramref name="perSilo"/> adds
    /// settings for silo i (its own SIP port, say).
    /// </summary>
    public static async Task<TestCluster> StartAsync(
        string dialect, int count, IReadOnlyDictionary<string, string>? settings = null, Func<int, IReadOnlyDictionary<string, string>>? perSilo = null)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var options = TestDatabases.NewStore(dialect);
        IGrainStore store = options.Dialect == StoreDialect.Postgres
            ? new PostgresGrainStore(options, NullLogger<PostgresGrainStore>.Instance)
            : new SqliteGrainStore(options, NullLogger<SqliteGrainStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);

        var all = new Dictionary<string, string>
        {
            ["Storage:Invariant"] = options.Invariant,
            ["Storage:ConnectionString"] = options.ConnectionString,
            ["Cluster:Token"] = Token,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Fleet:LocalWorkers"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var silos = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            SiloProcess.StartAsync(perSilo is null ? all : all.Concat(perSilo(i)).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value))));
        return new TestCluster(store, options, silos);
    }

    /// <summary>The grain factory a worker would use, talking to silo <paramref name="index"/>.</summary>
    public IGrainFactory Grains(int index) => new HttpGrainFactory(new ClusterHttpClient(_clients[index], Token));

    /// <summary>Plain HTTP client to silo <paramref name="index"/>.</summary>
    public HttpClient Http(int index) => _clients[index];

    /// <summary>The store's clock now, in epoch milliseconds (the clock leases and claims are judged on).</summary>
    public Task<long> NowAsync() =>
        Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<long>(Store.Sql("SELECT {now}")), CancellationToken.None);

    /// <summary>Tenants on the shared store.</summary>
    public ITenantDirectory Tenants => new TenantDirectory(Store, NullLogger<TenantDirectory>.Instance);

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
