using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Vox.Grains;
using Vox.Grains.Capacity;
using Xunit.Abstractions;

namespace Vox.Integration.Tests;

/// <summary>
/// The silo that hosts a pool's Orleans grain dies (<c>kill -9</c>) while clients reserve through every silo and
/// twenty workers heartbeat through the survivors: Orleans activates the pool on a survivor, which rebuilds it from the
/// workers' registrations and heartbeats. No worker is ever handed a call while it carries another, and reservations
/// are granted again within 5 s of the kill.
/// </summary>
public sealed class PoolFailoverTests(ITestOutputHelper output)
{
    private const int Workers = 20;
    private const int Clients = 24;

    [Fact]
    public async Task Killing_the_silo_hosting_the_pool_grain_mid_load_never_doubles_a_worker_and_reservations_resume_within_5_s()
    {
        await using var cluster = await TestCluster.StartAsync("postgres", 3, new Dictionary<string, string>
        {
            ["Fleet:InboundReserveRatio"] = "0",
            ["Fleet:HeartbeatIntervalMs"] = "1000",
            ["Fleet:WorkerTtlMs"] = "15000",
        });
        var tenant = (await cluster.Tenants.CreateTenantAsync("failover", null, CancellationToken.None)).Id;
        var silos = Enumerable.Range(0, 3).Select(i => cluster.Grains(i).GetGrain<ICapacityGrain>("default")).ToArray();
        var ids = await Task.WhenAll(Enumerable.Range(0, 3).Select(async i =>
            (await cluster.Http(i).GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("silo").GetString()));
        var host = (await silos[0].GetSnapshotAsync(CancellationToken.None)).HostSilo;
        var victim = Array.IndexOf(ids, host);
        Assert.True(victim >= 0, $"the pool grain's silo {host} is not one of {string.Join(", ", ids)}");
        var survivors = Enumerable.Range(0, 3).Where(i => i != victim).ToArray();

        var workers = Enumerable.Range(0, Workers).Select(i => new SimulatedWorker($"w{i:00}")).ToDictionary(w => w.Id);
        using var stop = new CancellationTokenSource();
        foreach (var worker in workers.Values)
        {
            await silos[survivors[0]].RegisterWorkerAsync(worker.Registration(), CancellationToken.None);
        }

        // Each worker heartbeats through a survivor, saying which call it carries, and registers again when told to.
        var heartbeats = workers.Values.Select((worker, i) => Task.Run(async () =>
        {
            var pool = silos[survivors[i % survivors.Length]];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var beat = await pool.HeartbeatAsync(worker.Id, worker.Call, CancellationToken.None);
                    if (!beat.Registered)
                    {
                        await pool.RegisterWorkerAsync(worker.Registration(), CancellationToken.None);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or VoxException)
                {
                    // The pool is moving; the next beat goes again.
                }

                await Task.Delay(1000);
            }
        })).ToList();

        var clock = Stopwatch.StartNew();
        long killedAt = long.MaxValue;
        var grantedAfterKill = new ConcurrentBag<long>();
        var granted = 0;
        var failures = 0;
        var next = 0;
        var load = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            while (!stop.IsCancellationRequested)
            {
                var callId = $"c{Interlocked.Increment(ref next)}";
                var alive = Volatile.Read(ref killedAt) == long.MaxValue ? [0, 1, 2] : survivors;
                var pool = silos[alive[random.Next(alive.Length)]];
                var asked = clock.ElapsedMilliseconds;
                ReservationResult result;
                try
                {
                    result = await pool.ReserveAsync(new ReservationRequest(tenant, callId, CallDirection.Inbound), CancellationToken.None);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or VoxException)
                {
                    Interlocked.Increment(ref failures);
                    await Task.Delay(20);
                    continue;
                }

                if (!result.Granted)
                {
                    await Task.Delay(5);
                    continue;
                }

                // The worker's own guard: it takes the call only when it carries none.
                var worker = workers[result.Worker!.WorkerId];
                Assert.True(worker.TryTake(callId), $"worker {worker.Id} was handed {callId} while it carried {worker.Call}");
                Interlocked.Increment(ref granted);
                if (asked >= Volatile.Read(ref killedAt))
                {
                    grantedAfterKill.Add(clock.ElapsedMilliseconds - killedAt);
                }

                try
                {
                    await pool.AttachAsync(callId, worker.Id, CancellationToken.None);
                    // Calls outlast the move (real ones last minutes): the new activation must learn which workers carry one.
                    await Task.Delay(random.Next(500, 3000));
                    worker.Finish(callId);
                    await pool.ReleaseAsync(callId, CancellationToken.None);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or VoxException)
                {
                    // A release lost with the pool: the worker's next heartbeats say it carries nothing.
                    worker.Finish(callId);
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();

        await Task.Delay(4000);
        var before = Volatile.Read(ref granted);
        Assert.True(before >= 5, $"only {before} reservations in 4 s before the kill");
        cluster.Silos[victim].Kill();
        Volatile.Write(ref killedAt, clock.ElapsedMilliseconds);
        await Task.Delay(12_000);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        await Task.WhenAll(heartbeats);

        var resumed = grantedAfterKill.IsEmpty ? -1 : grantedAfterKill.Min();
        var snapshot = await silos[survivors[0]].GetSnapshotAsync(CancellationToken.None);
        output.WriteLine($"{granted} reservations granted ({before} before the kill), {failures} requests failed during the move; " +
            $"first grant asked after the kill came {resumed} ms after it; pool now on {snapshot.HostSilo}");
        Assert.NotEqual(host, snapshot.HostSilo);
        Assert.InRange(resumed, 0, 5000);
        Assert.True(grantedAfterKill.Count >= 5, $"only {grantedAfterKill.Count} reservations after the kill");
        Assert.Equal(Workers, snapshot.Workers.Count);
    }

    /// <summary>A media worker's slot as the worker sees it: one call at most.</summary>
    private sealed class SimulatedWorker(string id)
    {
        private string? _call;

        public string Id { get; } = id;

        public string? Call => Volatile.Read(ref _call);

        public WorkerRegistration Registration() => new(Id, "sim", $"ws://127.0.0.1:1/{Id}", null, "test", CallId: Call);

        public bool TryTake(string callId) => Interlocked.CompareExchange(ref _call, callId, null) is null;

        public void Finish(string callId) => Interlocked.CompareExchange(ref _call, null, callId);
    }
}
