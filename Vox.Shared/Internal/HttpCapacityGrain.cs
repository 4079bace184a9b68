using Vox.Grains.Capacity;

// Not grain code: this is the media worker's client of the pool grain, over the silo's internal HTTP API, and runs
// outside any Orleans scheduler, so the Orleans analyzer's rule for grain classes (ORLEANS0014) does not apply.
#pragma warning disable ORLEANS0014

namespace Vox.Grains.Internal;

/// <summary><see cref="ICapacityGrain"/> over the internal API.</summary>
/// <remarks>
/// Reservations go through <paramref name="reservations"/>, shared by every grain of the pool made by one factory:
/// those made while earlier requests are in flight travel together as one reservation batch
/// (<see cref="ReservationQueue"/>), as an Orleans client batches messages on its connection.
/// </remarks>
public sealed class HttpCapacityGrain(ClusterHttpClient client, string pool, GroupCommitQueue<ReservationRequest, ReservationResult> reservations) : ICapacityGrain
{
    /// <inheritdoc />
    public string Key => pool;

    /// <inheritdoc />
    public Task<WorkerLease> RegisterWorkerAsync(WorkerRegistration registration, CancellationToken cancellationToken) =>
        client.SendAsync<WorkerLease>(HttpMethod.Post, InternalApi.Workers(pool), registration, cancellationToken);

    /// <inheritdoc />
    public Task<WorkerHeartbeat> HeartbeatAsync(string workerId, string? callId, CancellationToken cancellationToken) =>
        client.SendAsync<WorkerHeartbeat>(HttpMethod.Post,
            InternalApi.Workers(pool, workerId) + "/heartbeat" + (callId is null ? "" : "?callId=" + Uri.EscapeDataString(callId)), null, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeregisterWorkerAsync(string workerId, CancellationToken cancellationToken) =>
        (await client.SendAsync<InternalAck>(HttpMethod.Delete, InternalApi.Workers(pool, workerId), null, cancellationToken).ConfigureAwait(false)).Done;

    /// <inheritdoc />
    public Task<ReservationResult> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken) =>
        reservations.EnqueueAsync(request, cancellationToken);

    /// <inheritdoc />
    /// <remarks>One request to the silo, however many reservations; a request the silo refuses (invalid) fails the call.</remarks>
    public async Task<IReadOnlyList<ReservationResult>> ReserveManyAsync(IReadOnlyList<ReservationRequest> requests, CancellationToken cancellationToken)
    {
        var results = new List<ReservationResult>(requests.Count);
        for (var offset = 0; offset < requests.Count; offset += InternalApi.MaxReservationBatch)
        {
            var part = requests.Skip(offset).Take(InternalApi.MaxReservationBatch).ToList();
            foreach (var item in await PostBatchAsync(client, pool, part, cancellationToken).ConfigureAwait(false))
            {
                results.Add(item.Result ?? throw ToException(item));
            }
        }

        return results;
    }

    /// <summary>
    /// A queue that sends the reservations of <paramref name="pool"/> made while <paramref name="batchesInFlight"/>
    /// requests are in flight as one reservation batch of at most <paramref name="batchSize"/>; a lone reservation
    /// takes the single-request path.
    /// </summary>
    public static GroupCommitQueue<ReservationRequest, ReservationResult> ReservationQueue(ClusterHttpClient client, string pool, int batchSize = 64, int batchesInFlight = 1) =>
        new(Math.Min(batchSize, InternalApi.MaxReservationBatch), batchesInFlight, batch => SendBatchAsync(client, pool, batch));

    private static async Task SendBatchAsync(ClusterHttpClient client, string pool, IReadOnlyList<GroupCommitEntry<ReservationRequest, ReservationResult>> batch)
    {
        if (batch.Count == 1)
        {
            var lone = batch[0];
            try
            {
                lone.Completion.TrySetResult(await client.SendAsync<ReservationResult>(HttpMethod.Post, InternalApi.Reservations(pool), lone.Request, lone.CancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (lone.CancellationToken.IsCancellationRequested)
            {
                lone.Completion.TrySetCanceled(lone.CancellationToken);
            }

            return;
        }

        // One caller's cancellation must not abort the others' request: the HTTP client's timeout bounds it instead.
        var items = await PostBatchAsync(client, pool, batch.Select(e => e.Request).ToList(), CancellationToken.None).ConfigureAwait(false);
        for (var i = 0; i < batch.Count; i++)
        {
            if (items[i].Result is { } result)
            {
                batch[i].Completion.TrySetResult(result);
            }
            else
            {
                batch[i].Completion.TrySetException(ToException(items[i]));
            }
        }
    }

    private static async Task<IReadOnlyList<ReservationBatchItem>> PostBatchAsync(ClusterHttpClient client, string pool, IReadOnlyList<ReservationRequest> requests, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync<ReservationBatchResponse>(HttpMethod.Post, InternalApi.ReservationBatches(pool),
            new ReservationBatchRequest(requests), cancellationToken).ConfigureAwait(false);
        return response.Results?.Count == requests.Count
            ? response.Results
            : throw new InvalidDataException($"The silo answered a batch of {requests.Count} reservations with {response.Results?.Count ?? 0} results.");
    }

    private static VoxException ToException(ReservationBatchItem item) =>
        new(item.Error ?? "error", item.Detail ?? "The silo refused this reservation.");

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
