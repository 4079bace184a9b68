using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Testing;

namespace Vox.Benchmarks;

/// <summary>
/// Slot reservation throughput through silo processes on PostgreSQL, next to a baseline of plain single-row
/// UPDATE transactions from the same number of clients against the same server, measured in one run.
/// </summary>
public static class CapacityBenchmark
{
    private const string Token = "bench-token";

    public static async Task<int> RunAsync(string[] args)
    {
        var server = Environment.GetEnvironmentVariable("VOX_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable(TestDatabases.PostgresVariable);
        if (string.IsNullOrEmpty(server))
        {
            Console.Error.WriteLine("Set VOX_BENCH_POSTGRES to a PostgreSQL server's connection string, or run scripts/bench.sh.");
            return 2;
        }

        Environment.SetEnvironmentVariable(TestDatabases.PostgresVariable, server);
        var siloCounts = Option(args, "--silos", "1,2,3").Split(',').Select(int.Parse).ToArray();
        var clients = int.Parse(Option(args, "--clients", "32"));
        var duration = TimeSpan.FromSeconds(double.Parse(Option(args, "--seconds", "10"), System.Globalization.CultureInfo.InvariantCulture));
        // Load before the counted part, for every run alike: the silos' reservation path is JIT-compiled and tiered up under load.
        var warmup = TimeSpan.FromSeconds(double.Parse(Option(args, "--warmup", "10"), System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine($"capacity benchmark: {clients} clients, {duration.TotalSeconds:0} s per run, {Environment.ProcessorCount} cores");

        var (basePerSecond, baseLatency, baseCpu) = await BaselineAsync(clients, duration, warmup);
        Console.WriteLine($"  baseline  single-row UPDATE txns   {basePerSecond,8:0} /s   p50 {baseLatency.Percentile(0.5),6:0.00} ms   p99 {baseLatency.Percentile(0.99),6:0.00} ms   {baseCpu}");
        var (directPerSecond, directLatency, directCpu) = await ReservationsAsync(0, clients, duration, warmup);
        Console.WriteLine($"  in-process Orleans silo (no HTTP)   {directPerSecond,8:0} /s   p50 {directLatency.Percentile(0.5),6:0.00} ms   p99 {directLatency.Percentile(0.99),6:0.00} ms   ratio {directPerSecond / basePerSecond:0.00}   {directCpu}");
        foreach (var silos in siloCounts)
        {
            var (perSecond, latency, siloCpu) = await ReservationsAsync(silos, clients, duration, warmup);
            Console.WriteLine($"  {silos} silo{(silos == 1 ? " " : "s")}   reservations              {perSecond,8:0} /s   p50 {latency.Percentile(0.5),6:0.00} ms   p99 {latency.Percentile(0.99),6:0.00} ms   ratio {perSecond / basePerSecond:0.00}   {siloCpu}");
            // The line runs are compared by (issue 14): one per silo count.
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"BENCH capacity silos={silos} per_s={perSecond:0} p99_ms={latency.Percentile(0.99):0.00} ratio={perSecond / basePerSecond:0.00}"));
        }

        return 0;
    }

    private static async Task<(double, LatencyRecorder, string)> BaselineAsync(int clients, TimeSpan duration, TimeSpan warmup)
    {
        var connectionString = TestDatabases.NewPostgresDatabase();
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString))
        {
            await admin.ExecuteAsync($"CREATE DATABASE {new NpgsqlConnectionStringBuilder(connectionString).Database}");
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var setup = await dataSource.OpenConnectionAsync())
        {
            await setup.ExecuteAsync("CREATE TABLE bench_rows (id integer PRIMARY KEY, n bigint NOT NULL); INSERT INTO bench_rows SELECT g, 0 FROM generate_series(1, 1000) g;");
        }

        CpuMeter? cpu = null;
        var (perSecond, latency) = await LatencyRecorder.RunAsync(clients, duration, async (client, n) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("UPDATE bench_rows SET n = n + 1 WHERE id = @Id", new { Id = (int)(n % 1000) + 1 }, transaction);
            await transaction.CommitAsync();
        }, warmup, () => cpu = CpuMeter.Start([]));
        return (perSecond, latency, cpu!.Summary());
    }

    private static async Task<(double, LatencyRecorder, string)> ReservationsAsync(int siloCount, int clients, TimeSpan duration, TimeSpan warmup, CapacityOptions? capacity = null)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var options = TestDatabases.NewStore("postgres");
        await using var store = new PostgresGrainStore(options, NullLogger<PostgresGrainStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var tenant = await new TenantDirectory(store, NullLogger<TenantDirectory>.Instance).CreateTenantAsync("bench", null, CancellationToken.None);
        // Enough idle workers that no run exhausts them, so every timed reservation is a grant.
        await store.WriteAsync((c, t, ct) => c.ExecuteAsync(store.Sql("""
            INSERT INTO capacity_pools (pool, created_at) VALUES ('default', {now});
            INSERT INTO workers (worker_id, pool, host, media_url, ttl_ms, registered_at, heartbeat_at, expires_at, state)
            SELECT 'w' || g, 'default', 'bench', 'ws://127.0.0.1:1/media', 3600000, {now}, {now}, {now} + 3600000, 'idle'
            FROM generate_series(1, 300000) g;
            ANALYZE workers;
            """), transaction: t), CancellationToken.None);

        var settings = new Dictionary<string, string>
        {
            ["Storage:Invariant"] = "postgres",
            ["Storage:ConnectionString"] = options.ConnectionString,
            ["Cluster:Token"] = Token,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Fleet:ReaperPeriodMs"] = "600000",
            // The silos' own media workers would start (and JIT) inside the timed window and join the pool.
            ["Fleet:LocalWorkers"] = "0",
        };
        var silos = await Task.WhenAll(Enumerable.Range(0, siloCount).Select(_ => SiloProcess.StartAsync(settings)));
        var requests = new CountingHandler.Counter();
        var http = silos.Select(s => new HttpClient(new CountingHandler(requests) { InnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = clients } }) { BaseAddress = new Uri(s.Url) }).ToArray();
        // Zero silos: the pool grain on an Orleans silo in this process over the same store, to separate the grain's cost from HTTP's.
        await using var inProcess = siloCount == 0 ? await TestOrleansCluster.StartAsync(options, capacity) : null;
        var grains = inProcess is not null
            ? [inProcess.Grains.GetGrain<ICapacityGrain>("default")]
            : http.Select(h => new HttpGrainFactory(new ClusterHttpClient(h, Token)).GetGrain<ICapacityGrain>("default")).ToArray();
        siloCount = Math.Max(1, siloCount);
        var pids = silos.Select(s => s.ProcessId).ToArray();
        if (silos.Length > 0)
        {
            // A silo's first seconds go to start-up work (JIT, first store round trips): let them pass, as in a running cluster.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var idle = CpuMeter.Start(pids);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Console.WriteLine($"    {siloCount} silo{(siloCount == 1 ? "" : "s")} idle before the run: {idle.Summary()}");
        }

        CpuMeter? cpu = null;
        try
        {
            var (perSecond, latency) = await LatencyRecorder.RunAsync(clients, duration, async (client, n) =>
            {
                var result = await grains[client % siloCount].ReserveAsync(new ReservationRequest(tenant.Id, $"c{n}", CallDirection.Inbound), CancellationToken.None);
                if (!result.Granted)
                {
                    throw new InvalidOperationException($"Benchmark ran out of workers: {result.Message}");
                }
            }, warmup, () =>
            {
                cpu = CpuMeter.Start(pids);
                requests.Reset();
            });
            var perRequest = siloCount == 0 || requests.Count == 0 ? "" : $", {perSecond * duration.TotalSeconds / requests.Count:0.0} reservations per HTTP request";
            return (perSecond, latency, cpu!.Summary() + perRequest);
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }

            foreach (var h in http)
            {
                h.Dispose();
            }
        }
    }

    internal static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private sealed class CountingHandler(CountingHandler.Counter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.Add();
            return base.SendAsync(request, cancellationToken);
        }

        public sealed class Counter
        {
            private long _count;

            public long Count => Interlocked.Read(ref _count);

            public void Add() => Interlocked.Increment(ref _count);

            public void Reset() => Interlocked.Exchange(ref _count, 0);
        }
    }
}
