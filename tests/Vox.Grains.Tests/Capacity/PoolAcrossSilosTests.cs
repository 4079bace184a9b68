using Vox.Grains.Capacity;
using Vox.Testing;

namespace Vox.Grains.Tests.Capacity;

/// <summary>
/// One pool grain, three Orleans silos: reservations sent through every silo at once reach the pool's single
/// activation, which decides them one at a time; what the pool holds afterwards is read back from its snapshot.
/// </summary>
public sealed class PoolAcrossSilosTests
{
    private const int Silos = 3;

    private static WorkerRegistration Worker(int i) => new($"w{i}", "host-a", $"ws://127.0.0.1:{9000 + i}/media", "127.0.0.1", "test");

    private static async Task<(GrainTestContext Ctx, ICapacityGrain[] Pools)> SilosAsync(string dialect, int workers, double inboundReserveRatio = 0.2)
    {
        var ctx = await GrainTestContext.CreateAsync(dialect, new CapacityOptions { InboundReserveRatio = inboundReserveRatio });
        var pools = new ICapacityGrain[Silos];
        pools[0] = ctx.Grains.GetGrain<ICapacityGrain>("default");
        for (var i = 1; i < Silos; i++)
        {
            pools[i] = (await ctx.NewSiloAsync()).GetGrain<ICapacityGrain>("default");
        }

        for (var i = 0; i < workers; i++)
        {
            await pools[0].RegisterWorkerAsync(Worker(i), CancellationToken.None);
        }

        return (ctx, pools);
    }

    private static async Task<int> CountAsync(ICapacityGrain pool, Func<WorkerSlot, bool> which) =>
        (await pool.GetSnapshotAsync(CancellationToken.None)).Workers.Count(which);

    private static Task<ReservationResult[]> HammerAsync(ICapacityGrain[] pools, IEnumerable<ReservationRequest> requests) =>
        Task.WhenAll(requests.Select((request, i) => pools[i % pools.Length].ReserveAsync(request, CancellationToken.None)));

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Reservations_from_several_silos_never_put_two_calls_on_one_worker(string dialect)
    {
        var (ctx, pools) = await SilosAsync(dialect, 12);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var results = await HammerAsync(pools, Enumerable.Range(0, 150).Select(i => new ReservationRequest(tenant, $"c{i}", CallDirection.Inbound)));
        var granted = results.Where(r => r.Granted).ToList();
        Assert.Equal(12, granted.Count);
        Assert.Equal(12, granted.Select(r => r.Worker!.WorkerId).Distinct().Count());
        Assert.All(results.Where(r => !r.Granted), r => Assert.Equal(ReservationOutcome.NoCapacity, r.Outcome));
        Assert.Equal(12, await CountAsync(pools[1], w => w.State == WorkerSlotState.Reserved && w.CallId is not null));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Reservations_of_a_capped_tenant_stop_at_its_cap_while_others_fill_the_pool(string dialect)
    {
        var (ctx, pools) = await SilosAsync(dialect, 10);
        await using var _ = ctx;
        var capped = await ctx.CreateTenantAsync(cap: 3);
        var other = await ctx.CreateTenantAsync();
        // Interleaved so that most batches mix the two tenants.
        var requests = Enumerable.Range(0, 60).Select(i => i % 2 == 0
            ? new ReservationRequest(capped, $"a{i}", CallDirection.Inbound)
            : new ReservationRequest(other, $"b{i}", CallDirection.Inbound)).ToList();
        var results = await HammerAsync(pools, requests);
        var cappedResults = results.Where((_, i) => requests[i].TenantId == capped).ToList();
        Assert.Equal(3, cappedResults.Count(r => r.Granted));
        Assert.All(cappedResults.Where(r => !r.Granted), r => Assert.Contains(r.Outcome, new[] { ReservationOutcome.TenantLimit, ReservationOutcome.NoCapacity }));
        Assert.Equal(7, results.Where((_, i) => requests[i].TenantId == other).Count(r => r.Granted));
        Assert.Equal(3, await CountAsync(pools[2], w => w.TenantId == capped));
        Assert.Equal(0, await CountAsync(pools[0], w => w.State == WorkerSlotState.Idle));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Outbound_reservations_never_dip_into_the_inbound_reserve_and_inbound_still_gets_it(string dialect)
    {
        // 10 workers, ratio 0.3 -> 3 slots kept for inbound.
        var (ctx, pools) = await SilosAsync(dialect, 10, inboundReserveRatio: 0.3);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var results = await HammerAsync(pools, Enumerable.Range(0, 45).Select(i => new ReservationRequest(tenant, $"o{i}", CallDirection.Outbound)));
        Assert.Equal(7, results.Count(r => r.Granted));
        Assert.All(results.Where(r => !r.Granted), r => Assert.Equal(ReservationOutcome.InboundReserve, r.Outcome));
        Assert.Equal(3, await CountAsync(pools[0], w => w.State == WorkerSlotState.Idle));

        var inbound = await HammerAsync(pools, Enumerable.Range(0, 9).Select(i => new ReservationRequest(tenant, $"i{i}", CallDirection.Inbound)));
        Assert.Equal(3, inbound.Count(r => r.Granted));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Repeated_call_ids_inside_and_across_batches_hold_one_worker_each(string dialect)
    {
        var (ctx, pools) = await SilosAsync(dialect, 10);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        // Each of 5 call ids asked for 12 times: several copies land in one batch, others in later batches and on other silos.
        var requests = Enumerable.Range(0, 60).Select(i => new ReservationRequest(tenant, $"call-{i % 5}", CallDirection.Inbound)).ToList();
        var first = await HammerAsync(pools, requests);
        Assert.All(first, r => Assert.True(r.Granted, r.Message));
        var workerOf = requests.Zip(first).GroupBy(p => p.First.CallId).ToDictionary(g => g.Key, g => g.Select(p => p.Second.Worker!.WorkerId).Distinct().Single());
        Assert.Equal(5, workerOf.Values.Distinct().Count());
        Assert.Equal(5, await CountAsync(pools[0], w => w.State == WorkerSlotState.Reserved));

        var again = await HammerAsync(pools, requests);
        Assert.All(requests.Zip(again), p => Assert.Equal(workerOf[p.First.CallId], p.Second.Worker!.WorkerId));
        Assert.Equal(5, await CountAsync(pools[0], w => w.State == WorkerSlotState.Idle));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Cancelled_caller_leaves_alone_and_the_others_are_granted(string dialect)
    {
        var (ctx, pools) = await SilosAsync(dialect, 40);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var pool = pools[0];
        var calls = Enumerable.Range(0, 30).Select(i => pool.ReserveAsync(new ReservationRequest(tenant, $"c{i}", CallDirection.Inbound), CancellationToken.None)).ToList();
        var gaveUp = Task.Run(() => pool.ReserveAsync(new ReservationRequest(tenant, "gave-up", CallDirection.Inbound), cancelled.Token));
        calls.AddRange(Enumerable.Range(30, 5).Select(i => pool.ReserveAsync(new ReservationRequest(tenant, $"c{i}", CallDirection.Inbound), CancellationToken.None)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        var results = await Task.WhenAll(calls);
        Assert.All(results, r => Assert.True(r.Granted, r.Message));
        Assert.Equal(35, results.Select(r => r.Worker!.WorkerId).Distinct().Count());
        Assert.Equal(0, await CountAsync(pools[0], w => w.CallId == "gave-up"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_batch_is_decided_by_every_rule_in_order_within_one_grain_call(string dialect)
    {
        var (ctx, pools) = await SilosAsync(dialect, 5, inboundReserveRatio: 0.4);
        await using var _ = ctx;
        var capped = await ctx.CreateTenantAsync(cap: 1);
        var other = await ctx.CreateTenantAsync();
        var tenants = new[] { capped, capped, capped, other, other, other, other, other };
        var calls = new[] { "a1", "a2", "a1", "o1", "o2", "o3", "o4", "i1" };
        var directions = new[] { CallDirection.Inbound, CallDirection.Inbound, CallDirection.Inbound, CallDirection.Outbound, CallDirection.Outbound,
            CallDirection.Outbound, CallDirection.Outbound, CallDirection.Inbound };
        var results = await pools[1].ReserveManyAsync(
            Enumerable.Range(0, 8).Select(i => new ReservationRequest(tenants[i], calls[i], directions[i])).ToList(), CancellationToken.None);

        Assert.Equal(
            [ReservationOutcome.Granted, ReservationOutcome.TenantLimit, ReservationOutcome.Granted, ReservationOutcome.Granted, ReservationOutcome.Granted,
             ReservationOutcome.InboundReserve, ReservationOutcome.InboundReserve, ReservationOutcome.Granted],
            results.Select(r => r.Outcome));
        Assert.Equal(results[0].Worker!.WorkerId, results[2].Worker!.WorkerId);
        Assert.Equal(4, results.Where(r => r.Granted).Select(r => r.Worker!.WorkerId).Distinct().Count());
        Assert.Equal(4, await CountAsync(pools[2], w => w.State == WorkerSlotState.Reserved));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task After_the_pool_silo_dies_workers_carrying_calls_are_never_handed_out_and_the_others_are_once_they_heartbeat(string dialect)
    {
        var (ctx, pools) = await SilosAsync(dialect, 4);
        await using var _ = ctx;
        var tenant = await ctx.CreateTenantAsync();
        var first = await pools[0].ReserveAsync(new ReservationRequest(tenant, "c1", CallDirection.Inbound), CancellationToken.None);
        var second = await pools[0].ReserveAsync(new ReservationRequest(tenant, "c2", CallDirection.Inbound), CancellationToken.None);
        Assert.True(await pools[0].AttachAsync("c1", first.Worker!.WorkerId, CancellationToken.None));
        // c2's media has not attached yet when the silo dies: only its worker knows it carries c2.
        var host = (await pools[0].GetSnapshotAsync(CancellationToken.None)).HostSilo!;
        var alive = await ctx.KillSiloAsync(host);
        var pool = (await ctx.SiloGrainsAsync(alive)).GetGrain<ICapacityGrain>("default");

        // The new activation knows the workers from their registrations, but hands none out before it hears from it.
        var early = await pool.ReserveAsync(new ReservationRequest(tenant, "c3", CallDirection.Inbound), CancellationToken.None);
        Assert.Equal(ReservationOutcome.NoCapacity, early.Outcome);
        var snapshot = await pool.GetSnapshotAsync(CancellationToken.None);
        Assert.NotEqual(host, snapshot.HostSilo);
        Assert.Equal(4, snapshot.Workers.Count);

        // Every worker heartbeats, saying what it carries: the two with calls stay busy, the two others are handed out.
        foreach (var worker in snapshot.Workers)
        {
            var carries = worker.WorkerId == first.Worker.WorkerId ? "c1" : worker.WorkerId == second.Worker!.WorkerId ? "c2" : null;
            var beat = await pool.HeartbeatAsync(worker.WorkerId, carries, CancellationToken.None);
            Assert.Equal(carries is null ? WorkerSlotState.Idle : WorkerSlotState.Busy, beat.State);
        }

        var after = await Task.WhenAll(Enumerable.Range(4, 3).Select(i => pool.ReserveAsync(new ReservationRequest(tenant, $"c{i}", CallDirection.Inbound), CancellationToken.None)));
        Assert.Equal(2, after.Count(r => r.Granted));
        Assert.DoesNotContain(after.Where(r => r.Granted), r => r.Worker!.WorkerId == first.Worker.WorkerId || r.Worker!.WorkerId == second.Worker!.WorkerId);
        Assert.Equal(ReservationOutcome.NoCapacity, after.Single(r => !r.Granted).Outcome);
        // A call a worker carries is released like any other.
        Assert.True(await pool.ReleaseAsync("c1", CancellationToken.None));
    }
}
