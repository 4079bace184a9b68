using Dapper;

namespace Vox.Integration.Tests;

/// <summary>
/// Vox's reminder runtime (campaign ticks, until they move to Orleans reminders) across silo processes on PostgreSQL: a
/// reminder fires at least once per period, never on two silos at once, and is taken over when its silo dies. (A SQLite
/// store serves one silo, so there is no failover to test on it.)
/// </summary>
public sealed class ReminderFailoverTests
{
    private const int PeriodMs = 300;
    private const int ClaimTtlMs = 2_000;

    private sealed record Run(long Id, string SiloId, long StartedAt, long? FinishedAt, string? HttpUrl);

    [Fact]
    public async Task Reminder_fires_every_period_on_one_silo_at_a_time_and_survives_its_silo_dying()
    {
        await using var cluster = await TestCluster.StartAsync("postgres", 3, new Dictionary<string, string>
        {
            ["Reminders:PollIntervalMs"] = "50",
            // A campaign tick's claim lasts the campaign lease.
            ["Campaigns:LeaseTtlMs"] = ClaimTtlMs.ToString(),
            ["Campaigns:TickIntervalMs"] = PeriodMs.ToString(),
        });
        // The tick reminder of a campaign that does not exist: its handler finds nothing to do, and every firing is a run.
        await cluster.Store.WriteAsync((c, t, ct) => c.ExecuteAsync(cluster.Store.Sql("""
            INSERT INTO reminders (grain_type, grain_key, name, period_ms, next_due_at) VALUES ('campaign', 'cmp_none', 'tick', @Period, {now})
            """), new { Period = PeriodMs }, t), CancellationToken.None);
        await Task.Delay(3_000);
        var before = await RunsAsync(cluster);
        Assert.True(before.Count >= 5, $"only {before.Count} runs in 3 s");
        AssertNoOverlap(before);
        AssertGapsAtMost(before, PeriodMs + 1_000);
        Assert.True((before[^1].StartedAt - before[0].StartedAt) / (double)(before.Count - 1) <= PeriodMs * 1.25, "runs fell behind their period on average");

        var owner = before[^1];
        var victim = cluster.Silos.Single(s => s.Url == owner.HttpUrl);
        victim.Kill();
        var killedAt = await cluster.NowAsync();
        await Task.Delay(ClaimTtlMs + 2_000);

        var after = await RunsAsync(cluster);
        AssertNoOverlap(after);
        var afterKill = after.Where(r => r.StartedAt > killedAt).ToList();
        Assert.NotEmpty(afterKill);
        Assert.All(afterKill, r => Assert.NotEqual(owner.SiloId, r.SiloId));
        // Across the crash the gap is at most one claim lapse plus a period; elsewhere one period.
        AssertGapsAtMost(after, ClaimTtlMs + PeriodMs + 1_000);
    }

    private static void AssertNoOverlap(IReadOnlyList<Run> runs)
    {
        var finished = runs.Where(r => r.FinishedAt is not null).ToList();
        for (var i = 1; i < finished.Count; i++)
        {
            Assert.True(finished[i].StartedAt >= finished[i - 1].FinishedAt,
                $"run {finished[i].Id} on {finished[i].SiloId} started at {finished[i].StartedAt} before run {finished[i - 1].Id} on {finished[i - 1].SiloId} finished at {finished[i - 1].FinishedAt}");
        }
    }

    private static void AssertGapsAtMost(IReadOnlyList<Run> runs, long maxGapMs)
    {
        for (var i = 1; i < runs.Count; i++)
        {
            var gap = runs[i].StartedAt - runs[i - 1].StartedAt;
            Assert.True(gap <= maxGapMs, $"{gap} ms between runs {runs[i - 1].Id} and {runs[i].Id} (limit {maxGapMs} ms)");
        }
    }


    private static async Task<List<Run>> RunsAsync(TestCluster cluster) =>
        (await cluster.Store.ReadAsync((c, ct) => c.QueryAsync<Run>("""
            SELECT r.id, r.silo_id, r.started_at, r.finished_at, s.http_url
            FROM reminder_runs r LEFT JOIN silos s ON s.silo_id = r.silo_id
            WHERE r.grain_type = 'campaign' AND r.grain_key = 'cmp_none' AND r.name = 'tick'
            ORDER BY r.started_at, r.id
            """), CancellationToken.None)).ToList();
}
