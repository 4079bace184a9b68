using System.Diagnostics;
using Dapper;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;

namespace Vox.Integration.Tests;

/// <summary>A worker that stops heartbeating is reaped by the silo's reminder and its call ends <c>worker_lost</c>.</summary>
public sealed class ReaperTests
{
    private const int TtlMs = 1_500;
    private const int ReaperPeriodMs = 500;

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Silent_worker_is_reaped_within_ttl_plus_one_reaper_period_and_its_call_ends_worker_lost(string dialect)
    {
        await using var cluster = await TestCluster.StartAsync(dialect, 1, new Dictionary<string, string>
        {
            ["Fleet:WorkerTtlMs"] = TtlMs.ToString(),
            ["Fleet:HeartbeatIntervalMs"] = "500",
            ["Fleet:ReaperPeriodMs"] = ReaperPeriodMs.ToString(),
            ["Reminders:PollIntervalMs"] = "100",
        });
        var tenant = await cluster.Tenants.CreateTenantAsync("t", null, CancellationToken.None);
        var grains = cluster.Grains(0);
        await grains.GetGrain<IBotGrain>("bot_r").CreateAsync(tenant.Id, new BotDefinition { Name = "r" }, CancellationToken.None);
        var call = grains.GetGrain<ICallGrain>("call_r");
        await call.StartAsync(new CallStart(tenant.Id, "bot_r", CallDirection.Inbound, "ws", null, null), CancellationToken.None);
        var pool = grains.GetGrain<ICapacityGrain>("default");
        await pool.RegisterWorkerAsync(new WorkerRegistration("healthy", "h", "ws://127.0.0.1:1/media"), CancellationToken.None);
        await pool.RegisterWorkerAsync(new WorkerRegistration("doomed", "h", "ws://127.0.0.1:2/media"), CancellationToken.None);
        // Make sure the call lands on the doomed worker: hold the healthy one with another call first.
        var lastBeat = Stopwatch.StartNew();
        await pool.HeartbeatAsync("doomed", null, CancellationToken.None);
        Assert.True((await pool.ReserveAsync(new ReservationRequest(tenant.Id, "filler", CallDirection.Inbound), CancellationToken.None)).Granted);
        var reserved = await pool.ReserveAsync(new ReservationRequest(tenant.Id, "call_r", CallDirection.Inbound), CancellationToken.None);
        var doomed = reserved.Worker!.WorkerId;
        var healthy = doomed == "doomed" ? "healthy" : "doomed";
        lastBeat.Restart();
        await pool.HeartbeatAsync(doomed, null, CancellationToken.None);
        Assert.True(await pool.AttachAsync("call_r", doomed, CancellationToken.None));
        // When the last heartbeat's lease runs out, on the pool grain's clock (the clock the reaper judges by).
        var expiresAt = (await pool.GetSnapshotAsync(CancellationToken.None)).Workers.Single(w => w.WorkerId == doomed).ExpiresAt.ToUnixTimeMilliseconds();

        CallRecord record;
        do
        {
            await Task.Delay(50);
            await pool.HeartbeatAsync(healthy, null, CancellationToken.None);
            record = await call.GetAsync(null, CancellationToken.None);
        }
        while (record.State != CallState.Ended && lastBeat.ElapsedMilliseconds < 10_000);

        var elapsed = lastBeat.ElapsedMilliseconds;
        Assert.Equal(EndReasons.WorkerLost, record.EndReason);
        // Not before the TTL ran out, and within one reaper period after (plus 500 ms for a loaded machine), on the silo's
        // and the store's clocks (one host), so the test's own polling does not count.
        Assert.True(elapsed >= TtlMs, $"reaped after {elapsed} ms, before the {TtlMs} ms TTL");
        var afterExpiry = record.EndedAt!.Value.ToUnixTimeMilliseconds() - expiresAt;
        Assert.InRange(afterExpiry, 0, ReaperPeriodMs + 100 + 400);
        var snapshot = await pool.GetSnapshotAsync(CancellationToken.None);
        Assert.DoesNotContain(snapshot.Workers, w => w.WorkerId == doomed);
        Assert.Contains(snapshot.Workers, w => w.WorkerId == healthy);
    }
}
