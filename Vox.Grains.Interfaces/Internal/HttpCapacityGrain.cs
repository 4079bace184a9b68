using Vox.Grains.Capacity;

namespace Vox.Grains.Internal;

/// <summary><see cref="ICapacityGrain"/> over the internal API.</summary>
public sealed class HttpCapacityGrain(ClusterHttpClient client, string pool) : ICapacityGrain
{
    /// <inheritdoc />
    public string Key => pool;

    /// <inheritdoc />
    public Task<WorkerLease> RegisterWorkerAsync(WorkerRegistration registration, CancellationToken cancellationToken) =>
        client.SendAsync<WorkerLease>(HttpMethod.Post, InternalApi.Workers(pool), registration, cancellationToken);

    /// <inheritdoc />
    public Task<WorkerHeartbeat> HeartbeatAsync(string workerId, CancellationToken cancellationToken) =>
        client.SendAsync<WorkerHeartbeat>(HttpMethod.Post, InternalApi.Workers(pool, workerId) + "/heartbeat", null, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeregisterWorkerAsync(string workerId, CancellationToken cancellationToken) =>
        (await client.SendAsync<InternalAck>(HttpMethod.Delete, InternalApi.Workers(pool, workerId), null, cancellationToken).ConfigureAwait(false)).Done;

    /// <inheritdoc />
    public Task<ReservationResult> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken) =>
        client.SendAsync<ReservationResult>(HttpMethod.Post, InternalApi.Reservations(pool), request, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> AttachAsync(string callId, string workerId, CancellationToken cancellationToken) =>
        (await client.SendAsync<InternalAck>(HttpMethod.Post, InternalApi.Reservations(pool, callId) + "/attach", new AttachRequest(workerId), cancellationToken).ConfigureAwait(false)).Done;

    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(string callId, CancellationToken cancellationToken) =>
        (await client.SendAsync<InternalAck>(HttpMethod.Post, InternalApi.Reservations(pool, callId) + "/release", null, cancellationToken).ConfigureAwait(false)).Done;

    /// <inheritdoc />
    public Task<ReapResult> ReapAsync(CancellationToken cancellationToken) =>
        client.SendAsync<ReapResult>(HttpMethod.Post, InternalApi.Pool(pool) + "/reap", null, cancellationToken);

    /// <inheritdoc />
    public Task<FleetSnapshot> GetSnapshotAsync(CancellationToken cancellationToken) =>
        client.SendAsync<FleetSnapshot>(HttpMethod.Get, InternalApi.Pool(pool), null, cancellationToken);

    /// <inheritdoc />
    public Task<FleetCounts> GetCountsAsync(CancellationToken cancellationToken) =>
        client.SendAsync<FleetCounts>(HttpMethod.Get, InternalApi.Pool(pool) + "/counts", null, cancellationToken);
}
