using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Testing;

namespace Vox.Grains.Tests.Capacity;

public sealed class CapacityGrainTests
{
    private static WorkerRegistration Worker(int i) => new($"w{i}", "host-a", $"ws://127.0.0.1:{9000 + i}/media", "127.0.0.1", "test");

    private static async Task<(GrainTestContext Ctx, ICapacityGrain Pool)> PoolAsync(string dialect, int workers, CapacityOptions? options = null)
    {
        var ctx = await GrainTestContext.CreateAsync(dialect, options);
        var pool = ctx.Grains.GetGrain<ICapacityGrain>("default");
        for (var i = 0; i < workers; i++)
        {
            await pool.RegisterWorkerAsync(Worker(i), CancellationToken.None);
        }

        return (ctx, pool);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Reserve_with_idle_worker_grants_it_and_repeating_the_call_id_returns_the_same_worker(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 2);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var first = await pool.ReserveAsync(new ReservationRequest(tenant, "c1", CallDirection.Inbound), CancellationToken.None);
        var again = await pool.ReserveAsync(new ReservationRequest(tenant, "c1", CallDirection.Inbound), CancellationToken.None);
        Assert.True(first.Granted);
        Assert.Equal(first.Worker!.WorkerId, again.Worker!.WorkerId);
        var snapshot = await pool.GetSnapshotAsync(CancellationToken.None);
        Assert.Equal((2, 1, 1), (snapshot.Total, snapshot.Idle, snapshot.Reserved));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Reserve_when_every_worker_is_taken_is_refused_with_no_capacity(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 2);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        for (var i = 0; i < 2; i++)
        {
            Assert.True((await pool.ReserveAsync(new ReservationRequest(tenant, $"c{i}", CallDirection.Inbound), CancellationToken.None)).Granted);
        }

        var refused = await pool.ReserveAsync(new ReservationRequest(tenant, "c9", CallDirection.Inbound), CancellationToken.None);
        Assert.Equal(ReservationOutcome.NoCapacity, refused.Outcome);
        Assert.Null(refused.Worker);
        Assert.Contains("No capacity", refused.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Reserve_beyond_the_tenant_cap_is_refused_while_other_tenants_still_get_slots(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 5);
        await using var _ = ctx;
        var capped = await ctx.CreateTenantAsync(cap: 2);
        var other = await ctx.CreateTenantAsync();
        Assert.True((await pool.ReserveAsync(new ReservationRequest(capped, "a1", CallDirection.Inbound), CancellationToken.None)).Granted);
        Assert.True((await pool.ReserveAsync(new ReservationRequest(capped, "a2", CallDirection.Inbound), CancellationToken.None)).Granted);
        var third = await pool.ReserveAsync(new ReservationRequest(capped, "a3", CallDirection.Inbound), CancellationToken.None);
        Assert.Equal(ReservationOutcome.TenantLimit, third.Outcome);
        Assert.True((await pool.ReserveAsync(new ReservationRequest(other, "b1", CallDirection.Inbound), CancellationToken.None)).Granted);
        await pool.ReleaseAsync("a1", CancellationToken.None);
        Assert.True((await pool.ReserveAsync(new ReservationRequest(capped, "a3", CallDirection.Inbound), CancellationToken.None)).Granted);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Outbound_reserve_cannot_take_the_slots_kept_for_inbound(string dialect)
    {
        // 5 workers, ratio 0.4 -> 2 slots kept for inbound: outbound gets 3, inbound still gets the last 2.
        var (ctx, pool) = await PoolAsync(dialect, 5, new CapacityOptions { InboundReserveRatio = 0.4 });
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var outcomes = new List<ReservationOutcome>();
        for (var i = 0; i < 5; i++)
        {
            outcomes.Add((await pool.ReserveAsync(new ReservationRequest(tenant, $"o{i}", CallDirection.Outbound), CancellationToken.None)).Outcome);
        }

        Assert.Equal(3, outcomes.Count(o => o == ReservationOutcome.Granted));
        Assert.Equal(ReservationOutcome.InboundReserve, outcomes[^1]);
        Assert.True((await pool.ReserveAsync(new ReservationRequest(tenant, "i1", CallDirection.Inbound), CancellationToken.None)).Granted);
        Assert.True((await pool.ReserveAsync(new ReservationRequest(tenant, "i2", CallDirection.Inbound), CancellationToken.None)).Granted);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Attach_then_release_moves_the_worker_busy_then_idle(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 1);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var granted = await pool.ReserveAsync(new ReservationRequest(tenant, "c1", CallDirection.Inbound), CancellationToken.None);
        Assert.False(await pool.AttachAsync("c1", "not-the-worker", CancellationToken.None));
        Assert.True(await pool.AttachAsync("c1", granted.Worker!.WorkerId, CancellationToken.None));
        var heartbeat = await pool.HeartbeatAsync(granted.Worker.WorkerId, null, CancellationToken.None);
        Assert.Equal((true, WorkerSlotState.Busy, "c1"), (heartbeat.Registered, heartbeat.State, heartbeat.CallId));
        Assert.True(await pool.ReleaseAsync("c1", CancellationToken.None));
        Assert.False(await pool.ReleaseAsync("c1", CancellationToken.None));
        Assert.Equal(1, (await pool.GetSnapshotAsync(CancellationToken.None)).Idle);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Counts_agree_with_the_snapshot_and_leave_out_lapsed_workers(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 4, new CapacityOptions { WorkerTtlMs = 600, HeartbeatIntervalMs = 200, ReaperPeriodMs = 600_000 });
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var busy = await pool.ReserveAsync(new ReservationRequest(tenant, "c1", CallDirection.Inbound), CancellationToken.None);
        await pool.AttachAsync("c1", busy.Worker!.WorkerId, CancellationToken.None);
        await pool.ReserveAsync(new ReservationRequest(tenant, "c2", CallDirection.Inbound), CancellationToken.None);
        // w3 (idle: w0 and w1 were picked first) stops heartbeating until its TTL lapses; the reaper is far off.
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(250);
            foreach (var worker in new[] { "w0", "w1", "w2" })
            {
                // Each says what it carries, as a worker does: the busy one its call.
                await pool.HeartbeatAsync(worker, worker == busy.Worker.WorkerId ? "c1" : null, CancellationToken.None);
            }
        }

        var counts = await pool.GetCountsAsync(CancellationToken.None);
        var snapshot = await pool.GetSnapshotAsync(CancellationToken.None);
        Assert.Equal((snapshot.Total, snapshot.Idle, snapshot.Reserved, snapshot.Busy), (counts.Total, counts.Idle, counts.Reserved, counts.Busy));
        Assert.Equal((3, 1, 1, 1), (counts.Total, counts.Idle, counts.Reserved, counts.Busy));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Heartbeat_of_an_unknown_worker_asks_it_to_register(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 0);
        await using var _ = ctx;
        var heartbeat = await pool.HeartbeatAsync("ghost", null, CancellationToken.None);
        Assert.False(heartbeat.Registered);
        Assert.Equal(WorkerSlotState.Gone, heartbeat.State);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Reap_after_ttl_removes_the_silent_worker_and_ends_its_call_worker_lost(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 2, new CapacityOptions { WorkerTtlMs = 600, HeartbeatIntervalMs = 200 });
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var bot = ctx.Grains.GetGrain<IBotGrain>("bot_1");
        await bot.CreateAsync(tenant, new BotDefinition { Name = "b" }, CancellationToken.None);
        var call = ctx.Grains.GetGrain<ICallGrain>("call_1");
        await call.StartAsync(new CallStart(tenant, "bot_1", CallDirection.Inbound, "twilio", "+14155550100", "+14155550101"), CancellationToken.None);
        var granted = await pool.ReserveAsync(new ReservationRequest(tenant, "call_1", CallDirection.Inbound), CancellationToken.None);
        await pool.AttachAsync("call_1", granted.Worker!.WorkerId, CancellationToken.None);
        var survivor = granted.Worker.WorkerId == "w0" ? "w1" : "w0";

        var early = await pool.ReapAsync(CancellationToken.None);
        Assert.Empty(early.ExpiredWorkers);
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(250);
            await pool.HeartbeatAsync(survivor, null, CancellationToken.None);
        }

        var reaped = await pool.ReapAsync(CancellationToken.None);
        Assert.Equal([granted.Worker.WorkerId], reaped.ExpiredWorkers);
        Assert.Equal(["call_1"], reaped.LostCalls);
        var record = await call.GetAsync(null, CancellationToken.None);
        Assert.Equal((CallState.Ended, EndReasons.WorkerLost), (record.State, record.EndReason));
        var snapshot = await pool.GetSnapshotAsync(CancellationToken.None);
        Assert.Equal(survivor, Assert.Single(snapshot.Workers).WorkerId);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Reap_frees_a_reservation_whose_media_never_attached(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 1, new CapacityOptions { ReservationTtlMs = 500 });
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        await pool.ReserveAsync(new ReservationRequest(tenant, "c1", CallDirection.Inbound), CancellationToken.None);
        await Task.Delay(700);
        var reaped = await pool.ReapAsync(CancellationToken.None);
        Assert.Equal(["c1"], reaped.ExpiredReservations);
        Assert.Equal(1, (await pool.GetSnapshotAsync(CancellationToken.None)).Idle);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Concurrent_reservations_never_put_two_calls_on_one_worker(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 5);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            pool.ReserveAsync(new ReservationRequest(tenant, $"c{i}", CallDirection.Inbound), CancellationToken.None))));
        var granted = results.Where(r => r.Granted).ToList();
        Assert.Equal(5, granted.Count);
        Assert.Equal(5, granted.Select(r => r.Worker!.WorkerId).Distinct().Count());
        Assert.All(results.Where(r => !r.Granted), r => Assert.Equal(ReservationOutcome.NoCapacity, r.Outcome));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Concurrent_reservations_of_one_call_id_hold_a_single_worker(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 5);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
            pool.ReserveAsync(new ReservationRequest(tenant, "same-call", CallDirection.Inbound), CancellationToken.None))));
        Assert.All(results, r => Assert.True(r.Granted));
        Assert.Single(results.Select(r => r.Worker!.WorkerId).Distinct());
        Assert.Equal(4, (await pool.GetSnapshotAsync(CancellationToken.None)).Idle);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Concurrent_outbound_reservations_never_dip_into_the_inbound_reserve(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 10, new CapacityOptions { InboundReserveRatio = 0.3 });
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            pool.ReserveAsync(new ReservationRequest(tenant, $"o{i}", CallDirection.Outbound), CancellationToken.None))));
        Assert.Equal(7, results.Count(r => r.Granted));
        Assert.Equal(3, (await pool.GetSnapshotAsync(CancellationToken.None)).Idle);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Register_again_while_holding_a_call_ends_that_call_worker_lost(string dialect)
    {
        var (ctx, pool) = await PoolAsync(dialect, 1);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        await ctx.Grains.GetGrain<IBotGrain>("bot_1").CreateAsync(tenant, new BotDefinition { Name = "b" }, CancellationToken.None);
        await ctx.Grains.GetGrain<ICallGrain>("c1").StartAsync(new CallStart(tenant, "bot_1", CallDirection.Inbound, "ws", null, null), CancellationToken.None);
        await pool.ReserveAsync(new ReservationRequest(tenant, "c1", CallDirection.Inbound), CancellationToken.None);
        await pool.RegisterWorkerAsync(Worker(0), CancellationToken.None);
        Assert.Equal(EndReasons.WorkerLost, (await ctx.Grains.GetGrain<ICallGrain>("c1").GetAsync(null, CancellationToken.None)).EndReason);
        Assert.Equal(1, (await pool.GetSnapshotAsync(CancellationToken.None)).Idle);
    }
}
