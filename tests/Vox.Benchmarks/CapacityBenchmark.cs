using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Vox.Grains;
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

        if (Option(args, "--kill", "yes") != "no")
        {
            var (recoveryMs, failed, after) = await FailoverAsync(clients);
            Console.WriteLine($"  3 silos, pool grain's silo killed (kill -9): first reservation granted {recoveryMs:0} ms after the kill; {failed} requests failed meanwhile; {after} granted in the 10 s after");
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"BENCH capacity_failover silos=3 recovery_ms={recoveryMs:0} failed_requests={failed}"));
        }

        return 0;
    }

    // Three silos; clients reserve and release through every silo; the silo hosting the pool grain is killed with SIGKILL
    // and the clients move to the survivors. Returns the time from the kill to the first grant of a request sent after it.
    private static async Task<(double RecoveryMs, int Failed, int GrantedAfter)> FailoverAsync(int clients)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var options = TestDatabases.NewStore("postgres");
        await using var store = new PostgresGrainStore(options, NullLogger<PostgresGrainStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var tenant = await new TenantDirectory(store, NullLogger<TenantDirectory>.Instance).CreateTenantAsync("bench", null, CancellationToken.None);
        var settings = new Dictionary<string, string>
        {
            ["Storage:Invariant"] = "postgres",
            ["Storage:ConnectionString"] = options.ConnectionString,
            ["Cluster:Token"] = Token,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Fleet:LocalWorkers"] = "0",
            ["Fleet:InboundReserveRatio"] = "0",
            ["Fleet:WorkerTtlMs"] = "600000",
            ["Fleet:HeartbeatIntervalMs"] = "1000",
        };
        var silos = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SiloProcess.StartAsync(settings)));
        try
        {
            var http = silos.Select(s => new HttpClient { BaseAddress = new Uri(s.Url) }).ToArray();
            var grains = http.Select(h => new HttpGrainFactory(new ClusterHttpClient(h, Token)).GetGrain<ICapacityGrain>("default")).ToArray();
            var workers = Enumerable.Range(0, clients * 2).Select(w => $"w{w}").ToArray();
            foreach (var worker in workers)
            {
                await grains[0].RegisterWorkerAsync(new WorkerRegistration(worker, "bench", "ws://127.0.0.1:1/media"), CancellationToken.None);
            }

            var host = (await grains[0].GetSnapshotAsync(CancellationToken.None)).HostSilo;
            var ids = await Task.WhenAll(http.Select(async h => (await h.GetFromJsonAsync<System.Text.Json.JsonElement>("/healthz")).GetProperty("silo").GetString()));
            var victim = Array.IndexOf(ids, host);
            var survivors = Enumerable.Range(0, 3).Where(i => i != victim).ToArray();
            using var stop = new CancellationTokenSource();
            // Idle workers heartbeat (through the survivors) as real ones do, so a new activation hears from them.
            var beats = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.WhenAll(workers.Select(async (w, i) =>
                    {
                        try
                        {
                            await grains[survivors[i % 2]].HeartbeatAsync(w, null, CancellationToken.None);
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or VoxException)
                        {
                        }
                    }));
                    await Task.Delay(1000);
                }
            });
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var killedAt = long.MaxValue;
            var firstAfter = long.MaxValue;
            var failed = 0;
            var grantedAfter = 0;
            var load = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                var random = new Random(c);
                var n = 0;
                while (!stop.IsCancellationRequested)
                {
                    var alive = Volatile.Read(ref killedAt) == long.MaxValue ? [0, 1, 2] : survivors;
                    var pool = grains[alive[random.Next(alive.Length)]];
                    var asked = clock.ElapsedMilliseconds;
                    var call = $"c{c}-{n++}";
                    try
                    {
                        var result = await pool.ReserveAsync(new ReservationRequest(tenant.Id, call, CallDirection.Inbound), CancellationToken.None);
                        if (result.Granted)
                        {
                            if (asked >= Volatile.Read(ref killedAt))
                            {
                                Interlocked.Increment(ref grantedAfter);
                                var at = clock.ElapsedMilliseconds;
                                long seen;
                                while (at < (seen = Interlocked.Read(ref firstAfter)) && Interlocked.CompareExchange(ref firstAfter, at, seen) != seen)
                                {
                                }
                            }

                            await pool.ReleaseAsync(call, CancellationToken.None);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or VoxException)
                    {
                        Interlocked.Increment(ref failed);
                        await Task.Delay(10);
                    }
                }
            })).ToList();
            await Task.Delay(5000);
            silos[victim].Kill();
            Volatile.Write(ref killedAt, clock.ElapsedMilliseconds);
            var failedBefore = Volatile.Read(ref failed);
            await Task.Delay(10_000);
            await stop.CancelAsync();
            await Task.WhenAll(load);
            await beats;
            var recovery = firstAfter == long.MaxValue ? double.NaN : firstAfter - killedAt;
            return (recovery, failed - failedBefore, grantedAfter);
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
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
        // Workers live for the whole run without heartbeating; each client reserves and releases, so two workers per client
        // are never all taken.
        capacity ??= new CapacityOptions { WorkerTtlMs = 600_000, HeartbeatIntervalMs = 300_000, InboundReserveRatio = 0 };

        var settings = new Dictionary<string, string>
        {
            ["Storage:Invariant"] = "postgres",
            ["Storage:ConnectionString"] = options.ConnectionString,
            ["Cluster:Token"] = Token,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Fleet:ReaperPeriodMs"] = "600000",
            ["Fleet:WorkerTtlMs"] = "600000",
            ["Fleet:HeartbeatIntervalMs"] = "300000",
            ["Fleet:InboundReserveRatio"] = "0",
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
        for (var w = 0; w < clients * 2; w++)
        {
            await grains[w % grains.Length].RegisterWorkerAsync(new WorkerRegistration($"w{w}", "bench", "ws://127.0.0.1:1/media"), CancellationToken.None);
        }

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
                // One operation is a reservation and its release, as a call takes and frees its slot.
                var pool = grains[client % siloCount];
                var result = await pool.ReserveAsync(new ReservationRequest(tenant.Id, $"c{client}-{n}", CallDirection.Inbound), CancellationToken.None);
                if (!result.Granted)
                {
                    throw new InvalidOperationException($"Benchmark ran out of workers: {result.Message}");
                }

                await pool.ReleaseAsync($"c{client}-{n}", CancellationToken.None);
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
