using System.Text.Json;
using Vox.Grains;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;

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
        pool.MapPost("/reservation-batches", ReserveBatchAsync);
        pool.MapPost("/reservations/{callId}/attach", AttachAsync);
        pool.MapPost("/reservations/{callId}/release", ReleaseAsync);
        pool.MapPost("/reap", ReapAsync);
        return group;
    }

    private static Task<WorkerLease> RegisterAsync(string pool, WorkerRegistration registration, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICapacityGrain>(pool).RegisterWorkerAsync(registration, ct);

    private static Task<WorkerHeartbeat> HeartbeatAsync(string pool, string workerId, string? callId, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICapacityGrain>(pool).HeartbeatAsync(workerId, string.IsNullOrWhiteSpace(callId) ? null : callId, ct);

    private static async Task<InternalAck> DeregisterAsync(string pool, string workerId, IGrainFactory grains, CancellationToken ct) =>
        new(await grains.GetGrain<ICapacityGrain>(pool).DeregisterWorkerAsync(workerId, ct));

    private static Task<ReservationResult> ReserveAsync(string pool, ReservationRequest request, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICapacityGrain>(pool).ReserveAsync(request, ct);

    // The valid requests go to the grain as one batch, decided together in one grain call; a request that is
    // invalid gets its own error without failing the rest.
    private static async Task<ReservationBatchResponse> ReserveBatchAsync(string pool, HttpRequest http, IGrainFactory grains, CancellationToken ct)
    {
        ReservationBatchRequest? body;
        try
        {
            body = await http.ReadFromJsonAsync<ReservationBatchRequest>(VoxJson.Options, ct);
        }
        catch (JsonException ex)
        {
            // The path and position tell the sender which request of the batch is malformed (say $.requests[3].direction).
            throw new VoxException("invalid_json", $"The reservation batch is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            throw new VoxException("invalid_request", $"The reservation batch must be sent as application/json: {ex.Message}");
        }

        if (body?.Requests is null || body.Requests.Count == 0)
        {
            throw new VoxException("invalid_request", "A reservation batch needs at least one request in 'requests'.");
        }

        if (body.Requests.Count > InternalApi.MaxReservationBatch)
        {
            throw new VoxException("batch_too_large", $"A reservation batch carries at most {InternalApi.MaxReservationBatch} requests; this one has {body.Requests.Count}.");
        }

        static bool Valid(ReservationRequest? r) => r is not null && !string.IsNullOrWhiteSpace(r.TenantId) && !string.IsNullOrWhiteSpace(r.CallId);
        var valid = body.Requests.Where(Valid).ToList();
        var results = valid.Count == 0 ? [] : await grains.GetGrain<ICapacityGrain>(pool).ReserveManyAsync(valid, ct);
        var next = 0;
        return new ReservationBatchResponse(body.Requests
            .Select(r => Valid(r)
                ? new ReservationBatchItem(results[next++], null, null)
                : new ReservationBatchItem(null, "invalid_request", "A reservation needs 'tenantId' and 'callId'."))
            .ToList());
    }

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
