using Vox.Grains;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;
using Vox.Silo.Hosting;

namespace Vox.Silo.Internal;

/// <summary>Internal API over <see cref="ICapacityGrain"/>: worker registration, heartbeats, reservations.</summary>
public static class CapacityEndpoints
{
    /// <summary>Maps <c>/internal/v1/capacity/{pool}/…</c>.</summary>
    public static RouteGroupBuilder MapCapacityEndpoints(this RouteGroupBuilder group)
    {
        var pool = group.MapGroup("/capacity/{pool}");
        pool.MapGet("", GetSnapshotAsync);
        pool.MapGet("/counts", GetCountsAsync);
        pool.MapPost("/workers", RegisterAsync);
        pool.MapPost("/workers/{workerId}/heartbeat", HeartbeatAsync);
        pool.MapDelete("/workers/{workerId}", DeregisterAsync);
        pool.MapPost("/reservations", ReserveAsync);
        pool.MapPost("/reservations/{callId}/attach", AttachAsync);
        pool.MapPost("/reservations/{callId}/release", ReleaseAsync);
        pool.MapPost("/reap", ReapAsync);
        return group;
    }

    private static async Task<WorkerLease> RegisterAsync(string pool, WorkerRegistration registration, IGrainFactory grains, ReaperRegistration reaper, CancellationToken ct)
    {
        var lease = await grains.GetGrain<ICapacityGrain>(pool).RegisterWorkerAsync(registration, ct);
        await reaper.EnsureAsync(pool, ct);
        return lease;
    }

    private static Task<WorkerHeartbeat> HeartbeatAsync(string pool, string workerId, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICapacityGrain>(pool).HeartbeatAsync(workerId, ct);

    private static async Task<InternalAck> DeregisterAsync(string pool, string workerId, IGrainFactory grains, CancellationToken ct) =>
        new(await grains.GetGrain<ICapacityGrain>(pool).DeregisterWorkerAsync(workerId, ct));

    private static Task<ReservationResult> ReserveAsync(string pool, ReservationRequest request, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICapacityGrain>(pool).ReserveAsync(request, ct);

    private static async Task<InternalAck> AttachAsync(string pool, string callId, AttachRequest request, IGrainFactory grains, CancellationToken ct) =>
        new(await grains.GetGrain<ICapacityGrain>(pool).AttachAsync(callId, request.WorkerId, ct));

    private static async Task<InternalAck> ReleaseAsync(string pool, string callId, IGrainFactory grains, CancellationToken ct) =>
        new(await grains.GetGrain<ICapacityGrain>(pool).ReleaseAsync(callId, ct));

    private static Task<ReapResult> ReapAsync(string pool, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICapacityGrain>(pool).ReapAsync(ct);

    private static Task<FleetSnapshot> GetSnapshotAsync(string pool, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICapacityGrain>(pool).GetSnapshotAsync(ct);

    private static Task<FleetCounts> GetCountsAsync(string pool, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICapacityGrain>(pool).GetCountsAsync(ct);
}
