using Vox.Grains.Capacity;
using Vox.Testing;

namespace Vox.Grains.Tests.Capacity;

/// <summary>A worker that registered as not ready (its offline voice is missing) is shown with its reason and never reserved.</summary>
public sealed class WorkerReadinessTests
{
    private const string Reason = "offline voice not installed: libespeak-ng.so.1 (Offline:EspeakLibrary) does not load";
    private const string Fix = "sudo apt-get install -y libespeak-ng1 espeak-ng-data";

    private static WorkerRegistration Ready(string id) => new(id, "host-a", $"ws://127.0.0.1:9000/{id}/media", "127.0.0.1", "test");

    private static WorkerRegistration NotReady(string id) => Ready(id) with { Ready = false, NotReadyReason = Reason, NotReadyFix = Fix };

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Not_ready_worker_is_listed_with_its_reason_and_fix_but_never_reserved(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect, new CapacityOptions());
        var pool = ctx.Grains.GetGrain<ICapacityGrain>("default");
        // Registered first and so first in the least-recently-released order: a reservation that ignored readiness would take it.
        await pool.RegisterWorkerAsync(NotReady("w0"), CancellationToken.None);
        await pool.RegisterWorkerAsync(Ready("w1"), CancellationToken.None);
        var tenant = await ctx.CreateTenantAsync();

        var first = await pool.ReserveAsync(new ReservationRequest(tenant, "c1", CallDirection.Inbound), CancellationToken.None);
        var second = await pool.ReserveAsync(new ReservationRequest(tenant, "c2", CallDirection.Inbound), CancellationToken.None);

        Assert.Equal("w1", first.Worker?.WorkerId);
        Assert.Equal(ReservationOutcome.NoCapacity, second.Outcome);
        var snapshot = await pool.GetSnapshotAsync(CancellationToken.None);
        Assert.Equal((1, 0, 1, 0, 1), (snapshot.Total, snapshot.Idle, snapshot.Reserved, snapshot.Busy, snapshot.NotReady));
        var w0 = Assert.Single(snapshot.Workers, w => w.WorkerId == "w0");
        Assert.Equal((false, Reason, Fix, WorkerSlotState.Idle, (string?)null), (w0.Ready, w0.NotReadyReason, w0.NotReadyFix, w0.State, w0.CallId));
        Assert.True(snapshot.Workers.Single(w => w.WorkerId == "w1").Ready);
        var counts = await pool.GetCountsAsync(CancellationToken.None);
        Assert.Equal((1, 0, 1, 0, 1), (counts.Total, counts.Idle, counts.Reserved, counts.Busy, counts.NotReady));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Batched_reservations_pass_over_not_ready_workers(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect, new CapacityOptions());
        var pool = ctx.Grains.GetGrain<ICapacityGrain>("default");
        await pool.RegisterWorkerAsync(NotReady("w0"), CancellationToken.None);
        await pool.RegisterWorkerAsync(Ready("w1"), CancellationToken.None);
        await pool.RegisterWorkerAsync(NotReady("w2"), CancellationToken.None);
        await pool.RegisterWorkerAsync(Ready("w3"), CancellationToken.None);
        var tenant = await ctx.CreateTenantAsync();

        var results = await pool.ReserveManyAsync(
            [.. Enumerable.Range(0, 4).Select(i => new ReservationRequest(tenant, $"c{i}", CallDirection.Inbound))], CancellationToken.None);

        Assert.Equal(["w1", "w3"], results.Where(r => r.Granted).Select(r => r.Worker!.WorkerId).Order());
        Assert.Equal(2, results.Count(r => r.Outcome == ReservationOutcome.NoCapacity));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Not_ready_workers_do_not_count_toward_the_inbound_reserve(string dialect)
    {
        // Two ready workers, 0.2 kept for inbound: ceil(2 * 0.2) = 1 slot is kept, so with both free one outbound call goes
        // through. Counting the six not-ready workers as well would keep ceil(8 * 0.2) = 2 and refuse it.
        await using var ctx = await GrainTestContext.CreateAsync(dialect, new CapacityOptions { InboundReserveRatio = 0.2 });
        var pool = ctx.Grains.GetGrain<ICapacityGrain>("default");
        for (var i = 0; i < 6; i++)
        {
            await pool.RegisterWorkerAsync(NotReady($"n{i}"), CancellationToken.None);
        }

        await pool.RegisterWorkerAsync(Ready("r0"), CancellationToken.None);
        await pool.RegisterWorkerAsync(Ready("r1"), CancellationToken.None);
        var tenant = await ctx.CreateTenantAsync();

        var outbound = await pool.ReserveAsync(new ReservationRequest(tenant, "out1", CallDirection.Outbound), CancellationToken.None);

        Assert.True(outbound.Granted, outbound.Message);
        Assert.StartsWith("r", outbound.Worker!.WorkerId, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Registering_again_as_ready_clears_the_reason_and_makes_the_worker_reservable(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect, new CapacityOptions());
        var pool = ctx.Grains.GetGrain<ICapacityGrain>("default");
        await pool.RegisterWorkerAsync(NotReady("w0"), CancellationToken.None);
        var tenant = await ctx.CreateTenantAsync();
        Assert.Equal(ReservationOutcome.NoCapacity, (await pool.ReserveAsync(new ReservationRequest(tenant, "c1", CallDirection.Inbound), CancellationToken.None)).Outcome);

        await pool.RegisterWorkerAsync(Ready("w0"), CancellationToken.None);

        Assert.Equal("w0", (await pool.ReserveAsync(new ReservationRequest(tenant, "c2", CallDirection.Inbound), CancellationToken.None)).Worker?.WorkerId);
        var w0 = Assert.Single((await pool.GetSnapshotAsync(CancellationToken.None)).Workers);
        Assert.Equal((true, (string?)null, (string?)null), (w0.Ready, w0.NotReadyReason, w0.NotReadyFix));
    }

    [Fact]
    public void A_registration_without_readiness_fields_reads_as_ready()
    {
        // Workers built before readiness existed send only these fields.
        var old = System.Text.Json.JsonSerializer.Deserialize<WorkerRegistration>(
            """{"workerId":"w9","host":"h","mediaUrl":"ws://127.0.0.1:1/media","rtpAddress":null,"version":"1.0"}""", VoxJson.Options)!;

        Assert.Equal((true, (string?)null), (old.Ready, old.NotReadyReason));
    }
}
