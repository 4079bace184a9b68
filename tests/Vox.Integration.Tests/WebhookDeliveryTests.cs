using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Integration.Tests;

/// <summary>
/// The webhook outbox across real silo processes on one PostgreSQL: a customer receiver that is down (connection
/// refused, then 503) while calls start and complete gets every event once it recovers, each event id acknowledged
/// exactly once and every signature valid; one that never recovers ends in the dead-letter list.
/// </summary>
public sealed class WebhookDeliveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Refusing = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Outage = TimeSpan.FromMinutes(2);
    private const int Calls = 20;

    [Fact]
    public async Task Receiver_down_for_two_minutes_gets_every_event_once_with_valid_signatures_after_it_recovers()
    {
        await using var cluster = await TestCluster.StartAsync("postgres", 2, new Dictionary<string, string>
        {
            ["Webhooks:InitialBackoffMs"] = "1000",
            ["Webhooks:MaxBackoffMs"] = "5000",
        });
        var (tenantId, key) = await TenantAsync(cluster);
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}/vox/webhooks";
        var (webhookId, secret) = await CreateWebhookAsync(cluster, key, url, ["*"]);
        var clock = Stopwatch.StartNew();
        await using var receiver = new Receiver(port, secret, clock);

        // Calls start and end on both silos while the receiver refuses connections (first minute) and then answers 503.
        var traffic = RunCallsAsync(cluster, tenantId);
        await Task.Delay(Max(Refusing - clock.Elapsed));
        receiver.Start(Receiver.Mode.Unavailable);
        await traffic;
        Assert.True(clock.Elapsed < Outage, $"the calls took {clock.Elapsed}, past the outage");
        var waiting = await ApiAsync(cluster.Http(1), key, HttpMethod.Get, $"/v1/webhooks/{webhookId}/deliveries?status=pending&limit=200", HttpStatusCode.OK);
        await Task.Delay(Max(Outage - clock.Elapsed));
        var recoveredAt = clock.Elapsed;
        receiver.Recover();

        var expected = (await cluster.Store.ReadAsync((c, ct) => c.QueryAsync<string>(
            "SELECT id FROM webhook_events WHERE tenant_id = @TenantId", new { TenantId = tenantId }), CancellationToken.None)).ToHashSet();
        await WaitUntilAsync(() => receiver.Acknowledged.Count >= expected.Count, TimeSpan.FromSeconds(60));
        var drained = receiver.LastAcknowledgedAt - recoveredAt;
        // Stay a while: a duplicate would show up now.
        await Task.Delay(TimeSpan.FromSeconds(8));

        var stats = await cluster.Store.ReadAsync((c, ct) => c.QuerySingleAsync<(long Count, long Delivered, long MinAttempts, long MaxAttempts, double AvgAttempts, long Silos)>("""
            SELECT count(*) AS count, count(*) FILTER (WHERE status = 'delivered') AS delivered, min(attempts) AS min_attempts, max(attempts) AS max_attempts,
                   avg(attempts)::float8 AS avg_attempts, count(DISTINCT claimed_by) AS silos
            FROM webhook_deliveries WHERE tenant_id = @TenantId
            """, new { TenantId = tenantId }), CancellationToken.None);
        var bySilo = await cluster.Store.ReadAsync((c, ct) => c.QueryAsync<(string Silo, long Count)>(
            "SELECT claimed_by AS silo, count(*) AS count FROM webhook_deliveries WHERE tenant_id = @TenantId GROUP BY claimed_by", new { TenantId = tenantId }), CancellationToken.None);
        output.WriteLine($"events: {expected.Count} ({Calls} calls); deliveries: {stats.Count}, delivered: {stats.Delivered}");
        output.WriteLine($"attempts per delivery: min {stats.MinAttempts}, max {stats.MaxAttempts}, mean {stats.AvgAttempts:F1}; total attempts {stats.AvgAttempts * stats.Count:F0}");
        output.WriteLine($"receiver: {receiver.UnavailableAnswers} answered 503, {receiver.Acknowledged.Values.Sum()} acknowledged, {receiver.BadSignatures} bad signatures");
        output.WriteLine($"recovered at {recoveredAt.TotalSeconds:F1} s; all delivered {drained.TotalSeconds:F2} s later; delivered by silo: {string.Join(", ", bySilo.Select(s => $"{s.Silo}={s.Count}"))}");

        Assert.Equal(Calls * 2, expected.Count);
        Assert.Equal(expected.Order(), receiver.Acknowledged.Keys.Order());
        Assert.All(receiver.Acknowledged, a => Assert.True(a.Value == 1, $"event {a.Key} acknowledged {a.Value} times"));
        Assert.Equal(0, receiver.BadSignatures);
        Assert.True(receiver.UnavailableAnswers > 0, "no attempt reached the receiver while it answered 503");
        Assert.Equal(expected.Count, stats.Count);
        Assert.Equal(stats.Count, stats.Delivered);
        Assert.True(stats.MinAttempts >= 2, $"a delivery succeeded on attempt {stats.MinAttempts}, inside the outage");
        // Retries back off to at most 5 s, polled every second: the backlog drains within a few backoff periods.
        Assert.True(drained < TimeSpan.FromSeconds(20), $"took {drained} to drain after recovery");
        // While the receiver was down, the waiting deliveries were visible with the reason.
        var pending = waiting.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(pending);
        Assert.All(pending, d => Assert.False(string.IsNullOrEmpty(d.GetProperty("lastError").GetString())));
    }

    [Fact]
    public async Task Receiver_that_never_recovers_ends_in_the_dead_letter_list_and_redelivery_sends_each_once()
    {
        await using var cluster = await TestCluster.StartAsync("postgres", 2, new Dictionary<string, string>
        {
            ["Webhooks:InitialBackoffMs"] = "500",
            ["Webhooks:MaxBackoffMs"] = "1000",
            ["Webhooks:MaxAttempts"] = "4",
        });
        var (tenantId, key) = await TenantAsync(cluster);
        var port = FreePort.Next();
        var (webhookId, secret) = await CreateWebhookAsync(cluster, key, $"http://127.0.0.1:{port}/hooks", ["call.started", "call.completed"]);
        var grains = cluster.Grains(0);
        await grains.GetGrain<IBotGrain>("bot_dead").CreateAsync(tenantId, new BotDefinition { Name = "d" }, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            var call = cluster.Grains(i % 2).GetGrain<ICallGrain>($"call_dead_{i}");
            await call.StartAsync(new CallStart(tenantId, "bot_dead", CallDirection.Inbound, "ws", null, null), CancellationToken.None);
            await call.CompleteAsync(new CallResult($"r{i}", EndReasons.CallerHangup, [new TranscriptTurn(0, "user", "hello", 0, 500)]), CancellationToken.None);
        }

        var clock = Stopwatch.StartNew();
        JsonElement dead = default;
        await WaitUntilAsync(async () =>
        {
            dead = await ApiAsync(cluster.Http(1), key, HttpMethod.Get, $"/v1/webhooks/{webhookId}/deliveries?status=dead", HttpStatusCode.OK);
            return dead.GetProperty("items").GetArrayLength() == 6;
        }, TimeSpan.FromSeconds(60));
        output.WriteLine($"6 deliveries dead {clock.Elapsed.TotalSeconds:F1} s after the last call ended");
        var letters = dead.GetProperty("items").EnumerateArray().ToList();
        Assert.All(letters, d =>
        {
            Assert.Equal(4, d.GetProperty("attempts").GetInt32());
            Assert.Contains("refused", d.GetProperty("lastError").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.False(d.TryGetProperty("nextAttemptAt", out _));
        });
        var pending = await ApiAsync(cluster.Http(0), key, HttpMethod.Get, $"/v1/webhooks/{webhookId}/deliveries?status=pending", HttpStatusCode.OK);
        Assert.Equal(0, pending.GetProperty("items").GetArrayLength());

        // The receiver comes back; an operator redelivers the dead letters, through either silo.
        await using var receiver = new Receiver(port, secret, Stopwatch.StartNew());
        receiver.Start(Receiver.Mode.Ok);
        for (var i = 0; i < letters.Count; i++)
        {
            var requeued = await ApiAsync(cluster.Http(i % 2), key, HttpMethod.Post, $"/v1/webhooks/deliveries/{letters[i].GetProperty("id").GetString()}/redeliver", HttpStatusCode.OK);
            Assert.Equal("pending", requeued.GetProperty("status").GetString());
        }

        await WaitUntilAsync(() => receiver.Acknowledged.Count == 6, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(letters.Select(d => d.GetProperty("eventId").GetString()!).Order(), receiver.Acknowledged.Keys.Order());
        Assert.All(receiver.Acknowledged.Values, count => Assert.Equal(1, count));
        Assert.Equal(0, receiver.BadSignatures);
        var conflict = await ApiAsync(cluster.Http(0), key, HttpMethod.Post, $"/v1/webhooks/deliveries/{letters[0].GetProperty("id").GetString()}/redeliver", HttpStatusCode.Conflict);
        Assert.Equal("already_delivered", conflict.GetProperty("code").GetString());
    }

    private static async Task RunCallsAsync(TestCluster cluster, string tenantId)
    {
        await cluster.Grains(0).GetGrain<IBotGrain>("bot_hooks").CreateAsync(tenantId, new BotDefinition { Name = "hooks" }, CancellationToken.None);
        for (var i = 0; i < Calls; i++)
        {
            var id = $"call_hooks_{i:D2}";
            await cluster.Grains(i % 2).GetGrain<ICallGrain>(id).StartAsync(
                new CallStart(tenantId, "bot_hooks", CallDirection.Inbound, "ws", "+14155550100", "+14155550199"), CancellationToken.None);
            await Task.Delay(TimeSpan.FromMilliseconds(2_000));
            var other = cluster.Grains((i + 1) % 2).GetGrain<ICallGrain>(id);
            if (i % 5 == 4)
            {
                await other.EndAsync(EndReasons.NoAnswer, "callee did not pick up", CancellationToken.None);
            }
            else
            {
                await other.CompleteAsync(new CallResult($"res_{i}", EndReasons.CallerHangup,
                    [new TranscriptTurn(0, "assistant", "Hello, how can I help?", 0, 1_400), new TranscriptTurn(1, "user", $"Call number {i}.", 2_000, 3_100)],
                    $"recordings/{id}.wav", JsonDocument.Parse("""{"voiceToVoiceMs":[610,720]}""").RootElement), CancellationToken.None);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2_500));
        }
    }

    private static async Task<(string TenantId, string Key)> TenantAsync(TestCluster cluster)
    {
        var tenant = await cluster.Tenants.CreateTenantAsync("hooks", null, CancellationToken.None);
        var key = await cluster.Tenants.CreateApiKeyAsync(tenant.Id, "hooks", false, CancellationToken.None);
        return (tenant.Id, key.Key);
    }

    private static async Task<(string Id, string Secret)> CreateWebhookAsync(TestCluster cluster, string key, string url, string[] eventTypes)
    {
        var created = await ApiAsync(cluster.Http(0), key, HttpMethod.Post, "/v1/webhooks", HttpStatusCode.Created, new { url, eventTypes });
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    private static async Task<JsonElement> ApiAsync(HttpClient http, string key, HttpMethod method, string path, HttpStatusCode expected, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: VoxJson.Options);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static TimeSpan Max(TimeSpan wait) => wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout) => WaitUntilAsync(() => Task.FromResult(condition()), timeout);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < timeout, $"condition not met within {timeout}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A customer's webhook endpoint on 127.0.0.1: not listening until started (connection refused), then 503 or 2xx.
    /// It checks each signature with its own HMAC code, and answers a bad one 400 as a real receiver would.
    /// </summary>
    private sealed class Receiver(int port, string secret, Stopwatch clock) : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, int> _acknowledged = new();
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;
        private volatile Mode _mode;
        private int _unavailable;
        private int _badSignatures;
        private long _lastAckTicks;

        public enum Mode
        {
            Unavailable,
            Ok,
        }

        public IReadOnlyDictionary<string, int> Acknowledged => _acknowledged;

        public int UnavailableAnswers => Volatile.Read(ref _unavailable);

        public int BadSignatures => Volatile.Read(ref _badSignatures);

        /// <summary>When the last acknowledgement was sent, on the test's stopwatch.</summary>
        public TimeSpan LastAcknowledgedAt => TimeSpan.FromTicks(Interlocked.Read(ref _lastAckTicks));

        public void Start(Mode mode)
        {
            _mode = mode;
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public void Recover() => _mode = Mode.Ok;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_listener.IsListening)
            {
                _listener.Stop();
            }

            if (_loop is not null)
            {
                await _loop;
            }

            _listener.Close();
            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                _ = Task.Run(() => HandleAsync(context));
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var eventId = context.Request.Headers["Vox-Event-Id"] ?? "";
            var signed = SignatureValid(context.Request.Headers["Vox-Signature"], body.ToArray());
            var json = JsonDocument.Parse(body.ToArray()).RootElement;
            var consistent = json.GetProperty("id").GetString() == eventId && json.GetProperty("type").GetString() == context.Request.Headers["Vox-Event-Type"];
            int status;
            if (_mode == Mode.Unavailable)
            {
                Interlocked.Increment(ref _unavailable);
                status = 503;
            }
            else if (!signed || !consistent)
            {
                Interlocked.Increment(ref _badSignatures);
                status = 400;
            }
            else
            {
                _acknowledged.AddOrUpdate(eventId, 1, (_, n) => n + 1);
                Interlocked.Exchange(ref _lastAckTicks, clock.Elapsed.Ticks);
                status = 200;
            }

            context.Response.StatusCode = status;
            context.Response.Close();
        }

        // Independent of the code under test: HMAC-SHA256 over "t.body" keyed with the secret's UTF-8 bytes, within 5 minutes.
        private bool SignatureValid(string? header, byte[] body)
        {
            if (header is null)
            {
                return false;
            }

            var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(t)) > 300)
            {
                return false;
            }

            var expected = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + ".").Concat(body).ToArray())).ToLowerInvariant();
            return v1 == expected;
        }
    }
}
