using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Testing;

namespace Vox.Benchmarks;

/// <summary>
/// Media worker costs on the offline voice stack, through a real silo (SQLite) and its local worker processes:
/// per-turn pipeline overhead (voice-to-voice minus the end-of-turn wait and the measured STT, responder and TTS
/// times), worker CPU per second of call audio, worker RSS idle and in call, and how many concurrent single-call
/// workers the machine carries before bot audio frames arrive more than 20 ms late.
/// </summary>
public static class WorkerBenchmark
{
    private const string Token = "bench-cluster-token";
    private const int Rate = 16000;

    public static async Task<int> RunAsync(string[] args)
    {
        var calls = int.Parse(Option(args, "--calls", "5"), CultureInfo.InvariantCulture);
        var density = Option(args, "--density", "1,2,4,6,8").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine($"worker benchmark: {calls} sequential calls for overhead/CPU/RSS, then density steps {string.Join(',', density)}; {Environment.ProcessorCount} cores");

        await using (var cluster = await Cluster.StartAsync(1))
        {
            await MeasureOneWorkerAsync(cluster, calls);
        }

        foreach (var workers in density)
        {
            await using var cluster = await Cluster.StartAsync(workers);
            if (!await MeasureDensityAsync(cluster, workers))
            {
                break;
            }
        }

        return 0;
    }

    private static async Task MeasureOneWorkerAsync(Cluster cluster, int calls)
    {
        var worker = (await cluster.Pool.GetSnapshotAsync(CancellationToken.None)).Workers.Single();
        using var process = Process.GetProcessById(WorkerProcesses.Find(worker.WorkerId));
        await Task.Delay(TimeSpan.FromSeconds(3));
        process.Refresh();
        var idleRss = process.WorkingSet64 / 1048576.0;
        Console.WriteLine($"worker RSS idle (3 s after registering): {idleRss:F1} MB");

        // Background tier-1 JIT and the first heartbeats keep adding for a while; an idle worker trims every 15 s.
        await Task.Delay(TimeSpan.FromSeconds(32));
        process.Refresh();
        Console.WriteLine($"worker RSS idle, settled (35 s after registering): {process.WorkingSet64 / 1048576.0:F1} MB");

        var overheads = new List<double>();
        var cpuPerSecond = new List<double>();
        double peakRss = 0;
        var clips = Manifest.Load();
        var question = await clips.Single(c => c.Id == "utt00").ReadAsync(Rate);
        var second = await clips.Single(c => c.Id == "utt06").ReadAsync(Rate);
        for (var i = 0; i < calls; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    process.Refresh();
                    peakRss = Math.Max(peakRss, process.WorkingSet64 / 1048576.0);
                    await Task.Delay(200);
                }
            });
            var callId = $"call_bench_{i}";
            var record = await cluster.RunCallAsync(callId, [question, second]);
            clock.Stop();
            await sampling.CancelAsync();
            await sampler;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
            cpuPerSecond.Add(cpu / clock.Elapsed.TotalSeconds);
            foreach (var turn in record.Metrics!.Value.GetProperty("turns").EnumerateArray())
            {
                if (Get(turn, "voiceToVoiceMs") is { } v2v && Get(turn, "endOfUtteranceDelayMs") is { } eou)
                {
                    overheads.Add(v2v - eou - (Get(turn, "sttFinalDelayMs") ?? 0) - (Get(turn, "llmTimeToFirstTokenMs") ?? 0) - (Get(turn, "ttsTimeToFirstByteMs") ?? 0));
                }
            }

            Console.WriteLine($"  call {i + 1}/{calls}: {clock.Elapsed.TotalSeconds:F1} s, worker CPU {cpu:F0} ms");
        }

        overheads.Sort();
        Console.WriteLine($"pipeline overhead per turn ({overheads.Count} turns): p50 {Percentile(overheads, 0.50):F1} ms, p95 {Percentile(overheads, 0.95):F1} ms, max {overheads[^1]:F1} ms (goal p95 <= 15 ms)");
        Console.WriteLine($"worker CPU per second of call: mean {cpuPerSecond.Average():F0} ms/s (offline STT and TTS included)");
        Console.WriteLine($"worker RSS in call (peak): {peakRss:F1} MB");
    }

    // Every worker takes a call at once; each client times the bot's greeting frames against a 20 ms clock.
    private static async Task<bool> MeasureDensityAsync(Cluster cluster, int workers)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(i => cluster.RunGreetingAsync($"call_density_{workers}_{i}")));
        var lateness = results.SelectMany(r => r).OrderBy(x => x).ToList();
        var late = lateness.Count(l => l > 20);
        Console.WriteLine($"{workers,2} concurrent calls: {lateness.Count} frames, lateness p50 {Percentile(lateness, 0.5):F1} ms, p99 {Percentile(lateness, 0.99):F1} ms, " +
            $"max {lateness[^1]:F1} ms, {late} frames more than 20 ms late");
        return late == 0;
    }

    private static double? Get(JsonElement turn, string name) =>
        turn.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];


    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private sealed class Cluster : IAsyncDisposable
    {
        private readonly SiloProcess _silo;
        private readonly HttpClient _http;
        private readonly string _tenantId;

        private Cluster(SiloProcess silo, string tenantId)
        {
            _silo = silo;
            _tenantId = tenantId;
            _http = new HttpClient { BaseAddress = new Uri(silo.Url), Timeout = TimeSpan.FromSeconds(60) };
            Grains = new HttpGrainFactory(new ClusterHttpClient(_http, Token));
        }

        public IGrainFactory Grains { get; }

        public ICapacityGrain Pool => Grains.GetGrain<ICapacityGrain>("default");

        public static async Task<Cluster> StartAsync(int workers)
        {
            DefaultTypeMap.MatchNamesWithUnderscores = true;
            var options = TestDatabases.NewStore("sqlite");
            var store = new SqliteGrainStore(options, NullLogger<SqliteGrainStore>.Instance);
            await store.MigrateAsync(CancellationToken.None);
            var tenant = await new TenantDirectory(store, NullLogger<TenantDirectory>.Instance).CreateTenantAsync("bench", null, CancellationToken.None);
            var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
            {
                ["Storage:Invariant"] = options.Invariant,
                ["Storage:ConnectionString"] = options.ConnectionString,
                ["Cluster:Token"] = Token,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Fleet:LocalWorkers"] = workers.ToString(CultureInfo.InvariantCulture),
                ["Fleet:LocalWorkerBasePort"] = "0",
            });
            var cluster = new Cluster(silo, tenant.Id);
            await cluster.Grains.GetGrain<IBotGrain>("bot_bench").CreateAsync(tenant.Id, new BotDefinition
            {
                Name = "Bench",
                FirstMessage = "Hello, thanks for calling Vox dental. How can I help you today?",
                ScriptedReplies =
                [
                    new ScriptedReply { Keywords = ["appointment", "tomorrow", "book"], Reply = "Tomorrow we have a free slot at ten in the morning." },
                    new ScriptedReply { Keywords = ["cancel", "subscription"], Reply = "I can cancel that for you." },
                ],
                TurnTaking = new TurnTakingSettings { EndOfTurnSilenceMs = 600 },
            }, CancellationToken.None);
            var deadline = Stopwatch.StartNew();
            while ((await cluster.Pool.GetSnapshotAsync(CancellationToken.None)).Idle < workers)
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new TimeoutException($"{workers} local workers did not register within 120 s");
                }

                await Task.Delay(250);
            }

            return cluster;
        }

        /// <summary>A call that says each utterance after the bot has finished speaking, then hangs up.</summary>
        public async Task<CallRecord> RunCallAsync(string callId, IReadOnlyList<short[]> utterances)
        {
            await using var caller = await ConnectAsync(callId);
            var connected = Stopwatch.StartNew();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var answered = 0;
            await WaitAsync(() => !caller.Audio.IsEmpty, "the greeting's first audio");
            Console.WriteLine($"  {callId}: greeting audio {connected.Elapsed.TotalMilliseconds:F0} ms after the media connection");
            await WaitAsync(() => caller.EventsOfType("transcript").Count(IsAssistant) > answered, "the greeting");
            foreach (var utterance in utterances)
            {
                answered = caller.EventsOfType("transcript").Count(IsAssistant);
                await caller.StreamAsync(utterance, TimeSpan.FromSeconds(1), cts.Token);
                await WaitAsync(() => caller.EventsOfType("transcript").Count(IsAssistant) > answered, "an answer");
            }

            await caller.SendJsonAsync(new { type = "stop" }, cts.Token);
            await Task.WhenAny(caller.Completion, Task.Delay(TimeSpan.FromSeconds(20)));
            var call = Grains.GetGrain<ICallGrain>(callId);
            CallRecord record;
            while ((record = await call.GetAsync(null, CancellationToken.None)).ResultId is null)
            {
                await Task.Delay(200);
            }

            return record;
        }

        /// <summary>Lateness (ms) of each greeting frame against the 20 ms clock started by the first.</summary>
        public async Task<List<double>> RunGreetingAsync(string callId)
        {
            await using var caller = await ConnectAsync(callId);
            await WaitAsync(() => caller.EventsOfType("transcript").Count(IsAssistant) > 0, "the greeting");
            var frames = caller.Audio.ToArray();
            var lateness = new List<double>();
            var first = frames[0].At;
            double due = 0;
            foreach (var (at, samples) in frames)
            {
                lateness.Add(Math.Max(0, (at - first).TotalMilliseconds - due));
                due += samples.Length * 1000.0 / Rate;
            }

            return lateness;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _silo.DisposeAsync();
        }

        private static bool IsAssistant(JsonElement e) => e.TryGetProperty("role", out var role) && role.GetString() == "assistant";

        private static async Task WaitAsync(Func<bool> condition, string what)
        {
            var deadline = Stopwatch.StartNew();
            while (!condition())
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"timed out waiting for {what}");
                }

                await Task.Delay(20);
            }
        }

        private async Task<VoxMediaClient> ConnectAsync(string callId)
        {
            await Grains.GetGrain<ICallGrain>(callId).StartAsync(new CallStart(_tenantId, "bot_bench", CallDirection.Inbound, "vox", "+14155550100", "+14155550199"), CancellationToken.None);
            var reserved = await Pool.ReserveAsync(new ReservationRequest(_tenantId, callId, CallDirection.Inbound), CancellationToken.None);
            if (!reserved.Granted)
            {
                throw new InvalidOperationException($"no worker for {callId}: {reserved.Message}");
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await VoxMediaClient.ConnectAsync(reserved.Worker!.MediaUrl, callId, Token, Rate, cts.Token);
        }
    }
}
