using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Testing;

namespace Vox.Benchmarks;

/// <summary>
/// The gateway's WebSocket ingress proxy: (1) the latency it adds per frame, from round trips of 20 ms frames through
/// a real silo's <c>/ws/{botId}</c> compared with the same round trips straight to the worker; (2) how many concurrent
/// calls one gateway carries with every frame on time (within 60 ms), each call streaming a 20 ms frame every 20 ms both ways to fake
/// workers (no STT/TTS). Clients, fake workers and the silo share this machine's cores.
/// </summary>
public static class IngressBenchmark
{
    private const string Token = "bench-token";

    /// <summary>A frame is on time when it arrives within three frame periods (what a carrier's jitter buffer absorbs).</summary>
    private const double OnTimeMs = 60;

    public static async Task<int> RunAsync(string[] args)
    {
        var steps = CapacityBenchmark.Option(args, "--calls", "25,50,100,200").Split(',').Select(int.Parse).ToArray();
        var seconds = double.Parse(CapacityBenchmark.Option(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var frames = int.Parse(CapacityBenchmark.Option(args, "--frames", "500"), CultureInfo.InvariantCulture);
        var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ')[0] : "?";
        Console.WriteLine($"ingress benchmark: {Environment.ProcessorCount} cores (load average {load}), load steps {string.Join(",", steps)} calls x {seconds:0} s, {frames} latency frames");

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var options = TestDatabases.NewStore("sqlite");
        var store = new SqliteGrainStore(options, NullLogger<SqliteGrainStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var tenants = new TenantDirectory(store, NullLogger<TenantDirectory>.Instance);
        var tenant = await tenants.CreateTenantAsync("bench", null, CancellationToken.None);
        var key = await tenants.CreateApiKeyAsync(tenant.Id, "bench", false, CancellationToken.None);

        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Invariant"] = options.Invariant,
            ["Storage:ConnectionString"] = options.ConnectionString,
            ["Cluster:Token"] = Token,
            ["Fleet:LocalWorkers"] = "0",
            ["Fleet:WorkerTtlMs"] = "600000",
            ["Fleet:ReservationTtlMs"] = "600000",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(silo.Url), Timeout = TimeSpan.FromSeconds(60) };
        var grains = new HttpGrainFactory(new ClusterHttpClient(http, Token));
        await using var worker = await FakeMediaWorker.StartAsync(FreePort.Next(), grains);
        var pool = grains.GetGrain<ICapacityGrain>("default");
        for (var i = 0; i < steps.Max() + 1; i++)
        {
            await pool.RegisterWorkerAsync(new WorkerRegistration($"bench-{i:D4}", "127.0.0.1", worker.Url), CancellationToken.None);
        }

        using var api = new HttpClient { BaseAddress = new Uri(silo.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        var bot = await (await api.PostAsJsonAsync("/v1/bots", new { name = "bench" })).Content.ReadFromJsonAsync<JsonElement>();
        var botId = bot.GetProperty("id").GetString()!;
        var secret = await (await api.PostAsync($"/v1/bots/{botId}/ingress-secret", null)).Content.ReadFromJsonAsync<JsonElement>();
        var ingressUrl = secret.GetProperty("urls").GetProperty("iCallMate").GetString()!;

        // 1. Per-frame latency: the same paced round trips straight to the worker and through the gateway.
        var direct = await RoundTripsAsync($"{worker.Url.Replace("http://", "ws://", StringComparison.Ordinal)}/icallmate?mode=echo", frames, Token);
        var proxied = await RoundTripsAsync(ingressUrl + "&mode=echo", frames, null);
        Console.WriteLine($"  round trip, direct to worker     p50 {direct.Percentile(0.5),6:0.000} ms   p99 {direct.Percentile(0.99),6:0.000} ms");
        Console.WriteLine($"  round trip, through the gateway  p50 {proxied.Percentile(0.5),6:0.000} ms   p99 {proxied.Percentile(0.99),6:0.000} ms");
        Console.WriteLine($"  added per frame per direction    p50 {(proxied.Percentile(0.5) - direct.Percentile(0.5)) / 2,6:0.000} ms   p99 {(proxied.Percentile(0.99) - direct.Percentile(0.99)) / 2,6:0.000} ms");

        // 2. Concurrent calls with every frame on time.
        foreach (var calls in steps)
        {
            worker.ResetUpstream();
            var (down, setup) = await LoadAsync(ingressUrl + "&mode=load", calls, TimeSpan.FromSeconds(seconds));
            var up = worker.Upstream;
            var onTime = down.Percentile(1) <= OnTimeMs && up.Percentile(1) <= OnTimeMs;
            Console.WriteLine($"  {calls,4} calls  setup p50 {setup.Percentile(0.5),6:0.0} ms  " +
                              $"down p50 {down.Percentile(0.5),6:0.00} p99 {down.Percentile(0.99),6:0.00} max {down.Percentile(1),7:0.0} ms  " +
                              $"up p50 {up.Percentile(0.5),6:0.00} p99 {up.Percentile(0.99),6:0.00} max {up.Percentile(1),7:0.0} ms  " +
                              $"frames {down.Count + up.Count,7}  {(onTime ? "on time" : "LATE")}");
            await WaitForIdleAsync(pool, steps.Max() + 1);
        }

        return 0;
    }

    private static async Task<LatencyRecorder> RoundTripsAsync(string url, int frames, string? clusterToken)
    {
        using var socket = new ClientWebSocket();
        if (clusterToken is not null)
        {
            socket.Options.SetRequestHeader(InternalApi.TokenHeader, clusterToken);
        }

        await socket.ConnectAsync(new Uri(url), CancellationToken.None);
        var frame = new byte[FakeMediaWorker.FrameBytes];
        var buffer = new byte[4096];
        var ticks = new List<long>();
        var start = Stopwatch.GetTimestamp();
        for (var n = 0; n < frames + 50; n++)
        {
            var due = TimeSpan.FromMilliseconds(20 * n) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var sent = Stopwatch.GetTimestamp();
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
            var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (received.Count != frame.Length)
            {
                throw new InvalidOperationException($"echo of {received.Count} bytes, expected {frame.Length}");
            }

            if (n >= 50)
            {
                ticks.Add(Stopwatch.GetTimestamp() - sent);
            }
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var recorder = new LatencyRecorder();
        recorder.Add(ticks);
        return recorder;
    }

    private static async Task<(LatencyRecorder Down, LatencyRecorder Setup)> LoadAsync(string url, int calls, TimeSpan duration)
    {
        var down = new LatencyRecorder();
        var setup = new LatencyRecorder();
        var sockets = new ClientWebSocket[calls];
        using (var gate = new SemaphoreSlim(8))
        {
            await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var socket = new ClientWebSocket();
                    var started = Stopwatch.GetTimestamp();
                    await socket.ConnectAsync(new Uri(url), CancellationToken.None);
                    setup.Add([Stopwatch.GetTimestamp() - started]);
                    sockets[i] = socket;
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var warmup = TimeSpan.FromSeconds(1);
        await Task.WhenAll(sockets.Select(socket => Task.Run(async () =>
        {
            var ages = new List<long>();
            var clock = Stopwatch.StartNew();
            var receiving = Task.Run(async () =>
            {
                var buffer = new byte[4096];
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    if (clock.Elapsed > warmup && received.Count >= 8)
                    {
                        ages.Add(FakeMediaWorker.Age(buffer));
                    }
                }
            });
            var frame = new byte[FakeMediaWorker.FrameBytes];
            for (var n = 0; clock.Elapsed < warmup + duration; n++)
            {
                var due = TimeSpan.FromMilliseconds(20 * n) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                FakeMediaWorker.Stamp(frame);
                await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
            }

            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            await receiving;
            down.Add(ages);
            socket.Dispose();
        })));
        return (down, setup);
    }

    private static async Task WaitForIdleAsync(ICapacityGrain pool, int workers)
    {
        for (var i = 0; i < 300 && (await pool.GetSnapshotAsync(CancellationToken.None)).Idle < workers; i++)
        {
            await Task.Delay(100);
        }
    }
}
