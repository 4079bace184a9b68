using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Testing;

namespace Vox.Benchmarks;

/// <summary>
/// The dashboard's list pages with 10,000 calls in the log (plus 2,000 of another tenant): a silo process on SQLite and,
/// when a server is given, on PostgreSQL; each page is fetched repeatedly through the cookie session and timed by the
/// handler's <c>Server-Timing</c> (server time) and by the client (round trip). Fails when a page's p95 server time reaches 500 ms.
/// </summary>
public static class DashboardBenchmark
{
    private const int Calls = 10_000;
    private const int OtherTenantCalls = 2_000;
    private const double BudgetMs = 500;

    public static async Task<int> RunAsync(string[] args)
    {
        var repeats = int.Parse(Option(args, "--repeats", "20"), CultureInfo.InvariantCulture);
        var server = Environment.GetEnvironmentVariable("VOX_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable(TestDatabases.PostgresVariable);
        var dialects = string.IsNullOrEmpty(server) ? new[] { "sqlite" } : ["sqlite", "postgres"];
        if (!string.IsNullOrEmpty(server))
        {
            Environment.SetEnvironmentVariable(TestDatabases.PostgresVariable, server);
        }

        Console.WriteLine($"dashboard benchmark: {Calls} calls of one tenant + {OtherTenantCalls} of another, {repeats} requests per page, {Environment.ProcessorCount} cores");
        var ok = true;
        foreach (var dialect in dialects)
        {
            ok &= await RunDialectAsync(dialect, repeats);
        }

        return ok ? 0 : 1;
    }

    private static async Task<bool> RunDialectAsync(string dialect, int repeats)
    {
        var (store, options) = await TestDatabases.NewMigratedStoreAsync(dialect);
        var tenants = new TenantDirectory(store, NullLogger<TenantDirectory>.Instance);
        var admin = (await tenants.EnsureBootstrapAsync(CancellationToken.None))!.Key;
        var a = await tenants.CreateTenantAsync("bench-a", null, CancellationToken.None);
        var b = await tenants.CreateTenantAsync("bench-b", null, CancellationToken.None);
        var operatorKey = (await tenants.CreateApiKeyAsync(a.Id, "bench", false, CancellationToken.None)).Key;
        var seeded = Stopwatch.StartNew();
        await SeedAsync(store, a.Id, Calls);
        await SeedAsync(store, b.Id, OtherTenantCalls);
        Console.WriteLine($"  {dialect}: seeded {Calls + OtherTenantCalls} calls in {seeded.Elapsed.TotalSeconds:0.0} s");

        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Invariant"] = options.Invariant,
            ["Storage:ConnectionString"] = options.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Fleet:LocalWorkers"] = "0",
        });
        var day = DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (string Name, string Key, string Path)[] pages =
        [
            ("operator: call log, first page", operatorKey, "/dashboard/api/calls?limit=50"),
            ("operator: call log, 20th page", operatorKey, "PAGE20"),
            ("operator: filter bot", operatorKey, "/dashboard/api/calls?limit=50&botId=bot_3"),
            ("operator: filter status ended", operatorKey, "/dashboard/api/calls?limit=50&state=ended"),
            ("operator: filter number", operatorKey, "/dashboard/api/calls?limit=50&number=%2B14155550042"),
            ("operator: filter one day", operatorKey, $"/dashboard/api/calls?limit=50&from={day}&to={day}"),
            ("operator: all filters", operatorKey, $"/dashboard/api/calls?limit=50&botId=bot_1&state=ended&from={day}&to={day}"),
            ("operator: live calls", operatorKey, "/dashboard/api/calls?limit=200&live=true"),
            ("admin: call log, every tenant", admin, "/dashboard/api/calls?limit=50"),
            ("admin: live calls, every tenant", admin, "/dashboard/api/calls?limit=200&live=true"),
            ("admin: filter number, every tenant", admin, "/dashboard/api/calls?limit=50&number=%2B14155550042"),
            ("operator: latency & cost, 7 days", operatorKey, "/dashboard/api/stats?window=7d"),
        ];

        var ok = true;
        var clients = new Dictionary<string, HttpClient>();
        try
        {
            foreach (var (name, key, path) in pages)
            {
                if (!clients.TryGetValue(key, out var http))
                {
                    clients[key] = http = await SignInAsync(silo.Url, key);
                }

                var target = path == "PAGE20" ? await CursorOfPageAsync(http, 20) : path;
                var server = new List<double>();
                var client = new List<double>();
                var count = 0;
                for (var i = 0; i < repeats + 2; i++)
                {
                    var clock = Stopwatch.StartNew();
                    using var response = await http.GetAsync(target);
                    var body = await response.Content.ReadAsStringAsync();
                    clock.Stop();
                    response.EnsureSuccessStatusCode();
                    if (i < 2)
                    {
                        continue; // warm-up: JIT and connection
                    }

                    client.Add(clock.Elapsed.TotalMilliseconds);
                    server.Add(ServerTime(response));
                    count = Items(body);
                }

                var p95 = Percentile(server, 0.95);
                ok &= p95 < BudgetMs;
                Console.WriteLine($"    {name,-38} rows {count,4}   server p50 {Percentile(server, 0.5),7:0.0} ms  p95 {p95,7:0.0} ms   round trip p50 {Percentile(client, 0.5),7:0.0} ms  p95 {Percentile(client, 0.95),7:0.0} ms{(p95 < BudgetMs ? "" : "   OVER BUDGET")}");
            }
        }
        finally
        {
            foreach (var http in clients.Values)
            {
                http.Dispose();
            }

            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        return ok;
    }

    // Calls over the last 30 days: 5 bots, 50 caller numbers, 1 in 100 not ended, the ended ones with per-turn metrics.
    private static Task SeedAsync(IGrainStore store, string tenantId, int count) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var random = new Random(count);
            var metrics = JsonSerializer.Serialize(new
            {
                turns = new object[] { new { turnId = 0, llmTimeToFirstTokenMs = 2, ttsTimeToFirstByteMs = 140 }, new { turnId = 1, endOfUtteranceDelayMs = 600, sttFinalDelayMs = 90, llmTimeToFirstTokenMs = 4, ttsTimeToFirstByteMs = 120, voiceToVoiceMs = 850 } },
                usage = new Dictionary<string, double> { ["offline.tts_characters"] = 120 },
            });
            var rows = Enumerable.Range(0, count).Select(i =>
            {
                var created = now - (long)(random.NextDouble() * 30 * 86_400_000);
                var live = i % 100 == 0;
                return new
                {
                    Id = $"call_{tenantId[^8..]}_{i:D6}",
                    TenantId = tenantId,
                    BotId = $"bot_{i % 5}",
                    Direction = i % 3 == 0 ? "outbound" : "inbound",
                    From = $"+141555500{i % 50:D2}",
                    To = "+14155559999",
                    State = live ? "in_progress" : "ended",
                    CreatedAt = created,
                    AnsweredAt = created + 2_000,
                    EndedAt = live ? (long?)null : created + 90_000,
                    EndReason = live ? null : "caller_hangup",
                    Metrics = live ? null : metrics,
                };
            });
            return await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO calls (id, tenant_id, bot_id, direction, transport, from_number, to_number, state, created_at, answered_at, ended_at, end_reason, metrics, metadata)
                VALUES (@Id, @TenantId, @BotId, @Direction, 'vox', @From, @To, @State, @CreatedAt, @AnsweredAt, @EndedAt, @EndReason, @Metrics, '{}')
                """, rows, transaction, cancellationToken: ct)).ConfigureAwait(false);
        }, CancellationToken.None);

    private static async Task<HttpClient> SignInAsync(string url, string apiKey)
    {
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        var session = await http.GetFromJsonAsync<JsonElement>("/dashboard/api/session");
        using var login = new HttpRequestMessage(HttpMethod.Post, "/dashboard/api/login") { Content = JsonContent.Create(new { apiKey }) };
        login.Headers.Add("X-Vox-Csrf", session.GetProperty("csrf").GetString());
        (await http.SendAsync(login)).EnsureSuccessStatusCode();
        return http;
    }

    private static async Task<string> CursorOfPageAsync(HttpClient http, int page)
    {
        string? cursor = null;
        for (var i = 1; i < page; i++)
        {
            var body = await http.GetFromJsonAsync<JsonElement>("/dashboard/api/calls?limit=50" + (cursor is null ? "" : "&cursor=" + cursor));
            cursor = body.GetProperty("nextCursor").GetString();
        }

        return "/dashboard/api/calls?limit=50&cursor=" + cursor;
    }

    private static double ServerTime(HttpResponseMessage response)
    {
        var header = response.Headers.TryGetValues("Server-Timing", out var values) ? values.First() : throw new InvalidOperationException("No Server-Timing header.");
        return double.Parse(header[(header.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture);
    }

    private static int Items(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("items", out var items) ? items.GetArrayLength() : json.RootElement.GetProperty("calls").GetInt32();
    }

    private static double Percentile(List<double> values, double quantile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
