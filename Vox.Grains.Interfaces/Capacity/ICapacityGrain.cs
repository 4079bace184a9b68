namespace Vox.Grains.Capacity;

/// <summary>
/// The slots of one worker pool: an Orleans grain keyed by the pool's name, so one activation in the cluster decides
/// every reservation of the pool and any number of silos can call it at once without double-booking a worker.
/// </summary>
public interface ICapacityGrain : Orleans.IGrainWithStringKey
{
    /// <summary>Registers (or re-registers) a worker slot; it stays alive while it heartbeats within its TTL.</summary>
    Task<WorkerLease> RegisterWorkerAsync(WorkerRegistration registration, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the worker's TTL; <see cref="WorkerHeartbeat.Registered"/> is false when the worker must register again.
    /// <paramref name="callId"/> is the call the worker carries now, if any: a pool that does not know of it (it was
    /// granted before a failover) marks the worker busy with it.
    /// </summary>
    Task<WorkerHeartbeat> HeartbeatAsync(string workerId, string? callId, CancellationToken cancellationToken);

    /// <summary>Removes the worker (drain finished); any call it still holds ends as <c>worker_lost</c>.</summary>
    Task<bool> DeregisterWorkerAsync(string workerId, CancellationToken cancellationToken);

    /// <summary>Atomically reserves one idle worker for a call, honouring the tenant's cap and the inbound reserve.</summary>
    Task<ReservationResult> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Reserves for several calls at once, each by the same rules as <see cref="ReserveAsync"/>, in as few store round
    /// trips as the batch size allows; one result per request, in the order given. Within a round trip a later request
    /// sees the earlier ones' reservations; round trips of one call may run at once, so when the pool runs short which
    /// requests are refused is not fixed.
    /// </summary>
    Task<IReadOnlyList<ReservationResult>> ReserveManyAsync(IReadOnlyList<ReservationRequest> requests, CancellationToken cancellationToken);

    /// <summary>Marks a reserved worker busy with its call (media connected); false if the reservation is gone.</summary>
    Task<bool> AttachAsync(string callId, string workerId, CancellationToken cancellationToken);

    /// <summary>Frees the worker holding <paramref name="callId"/>; false if no worker held it.</summary>
    Task<bool> ReleaseAsync(string callId, CancellationToken cancellationToken);

    /// <summary>Removes workers whose TTL lapsed (their calls end <c>worker_lost</c>) and frees stale reservations.</summary>
    Task<ReapResult> ReapAsync(CancellationToken cancellationToken);

    /// <summary>The pool's workers and counts as the store sees them now.</summary>
    Task<FleetSnapshot> GetSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>The pool's live slot counts only: one aggregate query, for callers that need no worker list.</summary>
    Task<FleetCounts> GetCountsAsync(CancellationToken cancellationToken);
}
