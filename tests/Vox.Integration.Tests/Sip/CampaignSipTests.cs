using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Campaigns;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Integration.Tests.Sip;

/// <summary>
/// Campaigns end to end: created, loaded and started through the REST API of real silo processes, dialled over SIP to
/// the real sipp as the callee, with real workers carrying each call's media.
/// </summary>
public sealed partial class CampaignSipTests(ITestOutputHelper output)
{
    private sealed record Attempt(string ContactId, long AttemptNo, long Epoch, string Holder, string? CallId, long LaunchedAt, string? Outcome);

    private sealed record CallSpan(string Id, string ToNumber, long CreatedAt, long? EndedAt, string? EndReason);

    [Fact]
    public async Task Fifty_contacts_at_30_a_minute_and_5_at_once_complete_against_sipp_within_pace_and_concurrency()
    {
        var calleePort = FreePort.Next();
        await using var callee = SippProcess.Start("-sn", "uas", "-m", "50", "-i", "127.0.0.1", "-p", calleePort.ToString(CultureInfo.InvariantCulture),
            "-mi", "127.0.0.1", "-mp", FreePort.NextRange(4).ToString(CultureInfo.InvariantCulture), "-timeout", "300s");
        await using var bed = await SipTestBed.StartAsync(workers: 5, settings: Settings(calleePort), bot: Caller(seconds: 10));
        var http = await ApiAsync(bed.Cluster, bed.TenantId);

        var campaignId = await CreateAndStartAsync(http, bed.BotId, contacts: 50, callsPerMinute: 30, maxConcurrent: 5);
        await WaitForCompletionAsync(bed.Cluster, campaignId, TimeSpan.FromMinutes(4));

        var exit = await callee.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"sipp did not see 50 complete calls (exit {exit}):\n{callee.Output}");
        var all = await AttemptsAsync(bed.Cluster, campaignId);
        // A dial that found no free slot at that instant (a worker still finishing its last call) is recorded as
        // not_launched, does not count towards pace or attempts, and the contact is dialled again.
        var attempts = all.Where(a => a.Outcome != "not_launched").ToList();
        var calls = await CallsAsync(bed.Cluster, attempts);
        output.WriteLine($"{all.Count} attempts ({all.Count - attempts.Count} not launched), first launch to last {(attempts.Max(a => a.LaunchedAt) - attempts.Min(a => a.LaunchedAt)) / 1000.0:0.0} s, " +
                         $"most in a 60 s window {MostInWindow(attempts.Select(a => a.LaunchedAt), 60_000)}, most calls at once {MostAtOnce(calls)}");

        // Every contact dialled once, answered, and each attempt recorded with its call.
        Assert.Equal(50, attempts.Count);
        Assert.Equal(50, attempts.Select(a => a.ContactId).Distinct().Count());
        Assert.All(attempts, a => Assert.Equal("answered", a.Outcome));
        Assert.All(all, a => Assert.Equal(CampaignCallIds.For(campaignId, a.ContactId, (int)a.AttemptNo), a.CallId));
        Assert.Equal(50, calls.Count);
        Assert.All(calls, c => Assert.Equal("max_duration", c.EndReason));
        Assert.Equal(50, InvitesPerNumber(callee.Messages).Values.Sum());

        // The contact's name reached the bot's first message ({{name}}).
        var first = attempts[0];
        var name = await bed.Cluster.Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT name FROM campaign_contacts WHERE campaign_id = @Id AND id = @ContactId", new { Id = campaignId, first.ContactId }, cancellationToken: ct)), CancellationToken.None);
        var turns = await bed.Grains.GetGrain<ICallGrain>(first.CallId!).GetTurnsAsync(null, CancellationToken.None);
        Assert.Equal($"Hello {name}, this is Vox calling.", turns[0].Text);

        Assert.True(MostInWindow(attempts.Select(a => a.LaunchedAt), 60_000) <= 30, "more than 30 launches in a 60 s window");
        Assert.True(MostInWindow(calls.Select(c => c.CreatedAt), 60_000) <= 30, "more than 30 calls created in a 60 s window");
        Assert.InRange(MostAtOnce(calls), 2, 5);
    }

    [Fact]
    public async Task Killing_the_lease_holder_of_three_silos_hands_the_campaign_over_within_lease_ttl_plus_a_tick_without_double_or_skipped_dials()
    {
        const int leaseTtlMs = 3_000, tickMs = 1_000;
        var calleePort = FreePort.Next();
        await using var callee = SippProcess.Start("-sn", "uas", "-i", "127.0.0.1", "-p", calleePort.ToString(CultureInfo.InvariantCulture),
            "-mi", "127.0.0.1", "-mp", FreePort.NextRange(4).ToString(CultureInfo.InvariantCulture), "-timeout", "300s");
        var settings = new Dictionary<string, string>(Settings(calleePort))
        {
            ["Fleet:LocalWorkers"] = "2",
            ["Fleet:LocalWorkerBasePort"] = "0",
            ["Fleet:WorkerTtlMs"] = "2000",
            ["Fleet:HeartbeatIntervalMs"] = "500",
            ["Fleet:ReaperPeriodMs"] = "500",
            ["Sip:Enabled"] = "true",
            ["Sip:ListenAddress"] = "127.0.0.1",
            ["Campaigns:LeaseTtlMs"] = leaseTtlMs.ToString(CultureInfo.InvariantCulture),
            ["Campaigns:TickIntervalMs"] = tickMs.ToString(CultureInfo.InvariantCulture),
            ["Campaigns:OrphanAfterMs"] = "5000",
        };
        await using var cluster = await TestCluster.StartAsync("postgres", 3, settings, _ => new Dictionary<string, string> { ["Sip:Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture) });
        var tenant = await cluster.Tenants.CreateTenantAsync("cmp-" + Guid.NewGuid().ToString("N")[..6], null, CancellationToken.None);
        var botId = "bot_cmp_" + Guid.NewGuid().ToString("N")[..8];
        await cluster.Grains(0).GetGrain<IBotGrain>(botId).CreateAsync(tenant.Id, Caller(seconds: 4), CancellationToken.None);
        var pool = cluster.Grains(0).GetGrain<Vox.Grains.Capacity.ICapacityGrain>("default");
        await SipTestBed.WaitForAsync(async () => (await pool.GetSnapshotAsync(CancellationToken.None)).Idle == 6, TimeSpan.FromSeconds(120), "six workers register");
        var http = await ApiAsync(cluster, tenant.Id);

        var campaignId = await CreateAndStartAsync(http, botId, contacts: 24, callsPerMinute: 60, maxConcurrent: 4);
        (string Holder, long Epoch) lease = default;
        await SipTestBed.WaitForAsync(async () =>
        {
            lease = await LeaseAsync(cluster, campaignId);
            return (await AttemptsAsync(cluster, campaignId)).Count >= 6 && lease.Holder is not null;
        }, TimeSpan.FromSeconds(60), "six attempts are launched");

        var holderUrl = await cluster.Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT http_url FROM silos WHERE silo_id = @Id", new { Id = lease.Holder }, cancellationToken: ct)), CancellationToken.None);
        var victim = cluster.Silos.Single(s => s.Url == holderUrl);
        var survivor = cluster.Silos.Select((s, i) => (s, i)).First(x => x.s != victim).i;
        victim.Kill();
        var killedAt = await cluster.NowAsync();

        (string Holder, long Epoch) next = default;
        await SipTestBed.WaitForAsync(async () => (next = await LeaseAsync(cluster, campaignId)).Epoch > lease.Epoch, TimeSpan.FromSeconds(30), "another silo takes the lease");
        var takeover = await cluster.NowAsync() - killedAt;
        output.WriteLine($"killed {lease.Holder} (epoch {lease.Epoch}); {next.Holder} took over with epoch {next.Epoch} after {takeover} ms");
        Assert.NotEqual(lease.Holder, next.Holder);
        // Lease TTL plus one tick, and the 50 ms this test polls at plus one round trip on a loaded machine.
        Assert.True(takeover <= leaseTtlMs + tickMs + 500, $"take-over after {takeover} ms");

        await WaitForCompletionAsync(cluster, campaignId, TimeSpan.FromMinutes(3), survivor);
        var attempts = await AttemptsAsync(cluster, campaignId);
        var invites = InvitesPerNumber(callee.Messages);
        var phones = (await cluster.Store.ReadAsync((c, ct) => c.QueryAsync<(string Id, string Phone, string State)>(new CommandDefinition(
            "SELECT id, phone, state FROM campaign_contacts WHERE campaign_id = @Id", new { Id = campaignId }, cancellationToken: ct)), CancellationToken.None)).ToList();
        output.WriteLine($"{attempts.Count} attempts over {phones.Count} contacts; outcomes: " +
                         string.Join(", ", attempts.GroupBy(a => a.Outcome).Select(g => $"{g.Key} {g.Count()}")));

        // None skipped: every contact was dialled and ended final, with attempts numbered 1..n.
        Assert.Equal(24, phones.Count);
        Assert.All(phones, p => Assert.Contains(p.State, new[] { "completed", "failed" }));
        foreach (var contact in attempts.GroupBy(a => a.ContactId))
        {
            Assert.Equal(Enumerable.Range(1, contact.Count()).Select(n => (long)n), contact.Select(a => a.AttemptNo).Order());
        }

        Assert.Equal(24, attempts.Select(a => a.ContactId).Distinct().Count());

        // None dialled twice for one attempt: sipp received at most one INVITE (one SIP Call-ID) per launched attempt, and
        // one for each answered attempt. (Fewer than launched: the dead silo had made the call but not yet sent its INVITE;
        // that attempt ends failed and is retried.)
        foreach (var (id, phone, _) in phones)
        {
            var launched = attempts.Count(a => a.ContactId == id && a.Outcome != "not_launched");
            var answered = attempts.Count(a => a.ContactId == id && a.Outcome == "answered");
            var received = invites.GetValueOrDefault(phone);
            Assert.True(received >= answered && received <= launched, $"{phone}: {received} INVITEs for {launched} launched and {answered} answered attempts");
        }

        // Nothing was claimed under the dead holder's epoch after the take-over, and the rest ran under later epochs.
        Assert.Contains(attempts, a => a.Epoch > lease.Epoch);
        Assert.All(attempts.Where(a => a.Epoch <= lease.Epoch), a => Assert.True(a.LaunchedAt <= killedAt + 1_000, "an attempt claimed under the dead holder's epoch after it died"));
    }

    private static BotDefinition Caller(int seconds) => SipTestBed.Greeter with
    {
        FirstMessage = "Hello {{name}}, this is Vox calling.",
        Limits = new CallLimits { MaxDurationSeconds = seconds, LimitMessage = "Goodbye." },
    };

    private static Dictionary<string, string> Settings(int calleePort) => new()
    {
        ["Sip:Trunks:callee:Address"] = $"127.0.0.1:{calleePort}",
        ["Fleet:InboundReserveRatio"] = "0",
        ["Reminders:PollIntervalMs"] = "100",
        ["Campaigns:TickIntervalMs"] = "1000",
    };

    private static async Task<HttpClient> ApiAsync(TestCluster cluster, string tenantId)
    {
        var key = await cluster.Tenants.CreateApiKeyAsync(tenantId, "campaigns", false, CancellationToken.None);
        var http = new HttpClient { BaseAddress = new Uri(cluster.Silos[^1].Url), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        return http;
    }

    private static async Task<string> CreateAndStartAsync(HttpClient http, string botId, int contacts, int callsPerMinute, int maxConcurrent)
    {
        using var created = await http.PostAsJsonAsync("/v1/campaigns", new
        {
            name = "e2e",
            botId,
            trunk = "callee",
            callerId = "+14155550100",
            pacing = new { callsPerMinute, maxConcurrent },
            retry = new { failed = new { delaySeconds = 1, maxAttempts = 3 }, busy = new { delaySeconds = 1, maxAttempts = 2 }, noAnswer = new { delaySeconds = 1, maxAttempts = 2 } },
        });
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;

        var csv = new StringBuilder("phone,name,time_zone\n");
        for (var i = 0; i < contacts; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"+1415555{i:0000},Contact {i},America/Los_Angeles\n");
        }

        using var imported = await http.PostAsync($"/v1/campaigns/{id}/contacts", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        using var started = await http.PostAsync($"/v1/campaigns/{id}/start", null);
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        return id;
    }

    private async Task WaitForCompletionAsync(TestCluster cluster, string campaignId, TimeSpan timeout, int silo = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        var lastReport = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            var status = await cluster.Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT status FROM campaigns WHERE id = @Id", new { Id = campaignId }, cancellationToken: ct)), CancellationToken.None);
            if (status == "completed")
            {
                return;
            }

            if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(15))
            {
                lastReport = DateTime.UtcNow;
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {status}: {(await AttemptsAsync(cluster, campaignId)).Count} attempts");
            }

            await Task.Delay(250);
        }

        var attempts = await AttemptsAsync(cluster, campaignId);
        Assert.Fail($"Campaign {campaignId} did not complete in {timeout}: {attempts.Count} attempts, open: " +
                    string.Join(", ", attempts.Where(a => a.Outcome is null).Select(a => $"{a.ContactId}#{a.AttemptNo} {a.CallId}")) + "\n" + cluster.Silos[silo].Output[^Math.Min(20_000, cluster.Silos[silo].Output.Length)..]);
    }

    private static async Task<List<Attempt>> AttemptsAsync(TestCluster cluster, string campaignId) =>
        (await cluster.Store.ReadAsync((c, ct) => c.QueryAsync<Attempt>(new CommandDefinition(
            "SELECT contact_id, CAST(attempt_no AS bigint) AS attempt_no, epoch, holder, call_id, launched_at, outcome FROM campaign_attempts WHERE campaign_id = @Id ORDER BY launched_at",
            new { Id = campaignId }, cancellationToken: ct)), CancellationToken.None)).ToList();

    private static async Task<List<CallSpan>> CallsAsync(TestCluster cluster, IReadOnlyList<Attempt> attempts)
    {
        var ids = attempts.Where(a => a.CallId is not null).Select(a => a.CallId!).ToArray();
        return (await cluster.Store.ReadAsync((c, ct) => c.QueryAsync<CallSpan>(new CommandDefinition(
            "SELECT id, to_number, created_at, ended_at, end_reason FROM calls WHERE id IN @Ids", new { Ids = ids }, cancellationToken: ct)), CancellationToken.None)).ToList();
    }

    private static async Task<(string Holder, long Epoch)> LeaseAsync(TestCluster cluster, string campaignId) =>
        await cluster.Store.ReadAsync((c, ct) => c.QuerySingleAsync<(string, long)>(new CommandDefinition(
            "SELECT lease_holder, lease_epoch FROM campaigns WHERE id = @Id", new { Id = campaignId }, cancellationToken: ct)), CancellationToken.None);


    /// <summary>The most of <paramref name="times"/> (ms) inside any window of <paramref name="windowMs"/>.</summary>
    private static int MostInWindow(IEnumerable<long> times, long windowMs)
    {
        var sorted = times.Order().ToList();
        return sorted.Select((t, i) => sorted.Skip(i).TakeWhile(u => u < t + windowMs).Count()).DefaultIfEmpty(0).Max();
    }

    /// <summary>The most calls up at once, from each call's creation to its end.</summary>
    private static int MostAtOnce(IReadOnlyList<CallSpan> calls) =>
        calls.Select(c => calls.Count(o => o.CreatedAt <= c.CreatedAt && (o.EndedAt ?? long.MaxValue) > c.CreatedAt)).DefaultIfEmpty(0).Max();

    /// <summary>Distinct INVITE dialogs (SIP Call-IDs) sipp received, per dialled number.</summary>
    private static Dictionary<string, int> InvitesPerNumber(string messages) =>
        Separator().Split(messages)
            .Select(m => (Invite: Invite().Match(m), CallId: SipCallId().Match(m)))
            .Where(m => m.Invite.Success && m.CallId.Success)
            .Select(m => (Number: m.Invite.Groups["number"].Value, CallId: m.CallId.Groups["id"].Value))
            .Distinct()
            .GroupBy(m => m.Number)
            .ToDictionary(g => g.Key, g => g.Count());

    [GeneratedRegex(@"^-{10,}.*$", RegexOptions.Multiline)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^INVITE sip:(?<number>\+?\d+)@", RegexOptions.Multiline)]
    private static partial Regex Invite();

    [GeneratedRegex(@"^Call-ID:\s*(?<id>\S+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex SipCallId();
}
