using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Vox.Grains.Calls;
using Vox.Grains.Store;
using static Vox.Grains.Store.DbTime;

namespace Vox.Grains.Capacity;

/// <summary>
/// Slots of one pool on the store. Membership changes and reservations of a pool serialise on the pool's row
/// (PostgreSQL row lock, SQLite's write lock), so "one call per worker", the tenant cap and the inbound reserve
/// are decided against committed state by whichever silo asks.
/// </summary>
internal sealed partial class CapacityGrain(string pool, IGrainStore store, CapacityOptions options, ReservationBatcher reservations, ILogger<CapacityGrain> logger) : ICapacityGrain
{
    private const string FreeSlot = "state = 'idle', call_id = NULL, tenant_id = NULL, direction = NULL, reserved_at = NULL, reservation_expires_at = NULL";

    /// <inheritdoc />
    public string Key => pool;

    /// <inheritdoc />
    public async Task<WorkerLease> RegisterWorkerAsync(WorkerRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.WorkerId);
        var (lease, lostCall) = await store.WriteAsync(async (connection, transaction, ct) =>
        {
            await LockPoolAsync(connection, transaction, create: true, ct).ConfigureAwait(false);
            var previousCall = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT call_id FROM workers WHERE worker_id = @WorkerId", new { registration.WorkerId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            var expiresAt = await connection.ExecuteScalarAsync<long>(new CommandDefinition(store.Sql($"""
                INSERT INTO workers (worker_id, pool, host, media_url, rtp_address, version, ttl_ms, registered_at, heartbeat_at, expires_at, state,
                                     ready, not_ready_reason, not_ready_fix)
                VALUES (@WorkerId, @Pool, @Host, @MediaUrl, @RtpAddress, @Version, @TtlMs, {"{now}"}, {"{now}"}, {"{now}"} + @TtlMs, 'idle',
                        @Ready, @NotReadyReason, @NotReadyFix)
                ON CONFLICT (worker_id) DO UPDATE SET pool = excluded.pool, host = excluded.host, media_url = excluded.media_url,
                    rtp_address = excluded.rtp_address, version = excluded.version, ttl_ms = excluded.ttl_ms,
                    ready = excluded.ready, not_ready_reason = excluded.not_ready_reason, not_ready_fix = excluded.not_ready_fix,
                    registered_at = excluded.registered_at, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at, {FreeSlot}
                RETURNING expires_at
                """), new { registration.WorkerId, Pool = pool, registration.Host, registration.MediaUrl, registration.RtpAddress, registration.Version, TtlMs = (long)options.WorkerTtlMs,
                    registration.Ready, NotReadyReason = registration.Ready ? null : registration.NotReadyReason, NotReadyFix = registration.Ready ? null : registration.NotReadyFix },
                transaction, cancellationToken: ct)).ConfigureAwait(false);

            // A worker that registers again while it still held a call has restarted: that call is gone.
            if (previousCall is not null)
            {
                await CallRows.EndAsync(store, connection, transaction, [previousCall], EndReasons.WorkerLost, "worker re-registered", ct).ConfigureAwait(false);
            }

            return (new WorkerLease(registration.WorkerId, pool, options.WorkerTtlMs, options.HeartbeatIntervalMs, ToTime(expiresAt)), previousCall);
        }, cancellationToken).ConfigureAwait(false);

        if (registration.Ready)
        {
            LogRegistered(logger, registration.WorkerId, pool, registration.MediaUrl);
        }
        else
        {
            LogRegisteredNotReady(logger, registration.WorkerId, pool, registration.NotReadyReason ?? "no reason given");
        }
        if (lostCall is not null)
        {
            LogCallLost(logger, lostCall, registration.WorkerId);
        }

        return lease;
    }

    /// <inheritdoc />
    public Task<WorkerHeartbeat> HeartbeatAsync(string workerId, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<WorkerRow>(new CommandDefinition(store.Sql(
                "UPDATE workers SET heartbeat_at = {now}, expires_at = {now} + ttl_ms WHERE worker_id = @WorkerId AND pool = @Pool RETURNING state, call_id"),
                new { WorkerId = workerId, Pool = pool }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return row is null
                ? new WorkerHeartbeat(false, WorkerSlotState.Gone, null)
                : new WorkerHeartbeat(true, WorkerRow.ParseState(row.State), row.CallId);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeregisterWorkerAsync(string workerId, CancellationToken cancellationToken)
    {
        var removed = await store.WriteAsync(async (connection, transaction, ct) =>
        {
            await LockPoolAsync(connection, transaction, create: false, ct).ConfigureAwait(false);
            var rows = (await connection.QueryAsync<WorkerRow>(new CommandDefinition(
                "DELETE FROM workers WHERE worker_id = @WorkerId AND pool = @Pool RETURNING worker_id, call_id",
                new { WorkerId = workerId, Pool = pool }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            var calls = rows.Where(r => r.CallId is not null).Select(r => r.CallId!).ToList();
            await CallRows.EndAsync(store, connection, transaction, calls, EndReasons.WorkerLost, "worker deregistered", ct).ConfigureAwait(false);
            return rows.Count > 0;
        }, cancellationToken).ConfigureAwait(false);
        if (removed)
        {
            LogDeregistered(logger, workerId, pool);
        }

        return removed;
    }

    /// <inheritdoc />
    public async Task<ReservationResult> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken)
    {
        var row = await reservations.ReserveAsync(pool, ToItem(request), cancellationToken).ConfigureAwait(false);
        return ToResult(request, row);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReservationResult>> ReserveManyAsync(IReadOnlyList<ReservationRequest> requests, CancellationToken cancellationToken)
    {
        var items = requests.Select(ToItem).ToList();
        var rows = await reservations.ReserveManyAsync(pool, items, cancellationToken).ConfigureAwait(false);
        return requests.Select((request, i) => ToResult(request, rows[i])).ToList();
    }

    private static ReservationBatcher.ReserveItem ToItem(ReservationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.CallId);
        return new(request, request.Direction == CallDirection.Outbound ? "outbound" : "inbound");
    }

    private ReservationResult ToResult(ReservationRequest request, ReserveRow row)
    {
        var result = row.ROutcome switch
        {
            "granted" => new ReservationResult(ReservationOutcome.Granted,
                new ReservedWorker(row.RWorkerId!, row.RHost!, row.RMediaUrl!, row.RRtpAddress, ToTime(row.RReservationExpiresAt ?? 0)),
                $"Worker {row.RWorkerId} reserved for call {request.CallId}."),
            "tenant_limit" => new ReservationResult(ReservationOutcome.TenantLimit, null,
                $"Tenant {request.TenantId} already has {row.RCount} concurrent calls, its limit."),
            "inbound_reserve" => new ReservationResult(ReservationOutcome.InboundReserve, null,
                $"Only the {row.RCount} slots kept for inbound calls are free in pool '{pool}'."),
            _ => new ReservationResult(ReservationOutcome.NoCapacity, null, $"No capacity: every worker in pool '{pool}' is busy."),
        };
        if (result.Granted)
        {
            LogReserved(logger, request.CallId, result.Worker!.WorkerId, request.TenantId);
        }
        else
        {
            LogRefused(logger, request.CallId, result.Outcome, request.TenantId);
        }

        return result;
    }

    /// <inheritdoc />
    public Task<bool> AttachAsync(string callId, string workerId, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteAsync(new CommandDefinition(store.Sql(
            "UPDATE workers SET state = 'busy', reservation_expires_at = NULL WHERE pool = @Pool AND call_id = @CallId AND worker_id = @WorkerId AND expires_at > {now}"),
            new { Pool = pool, CallId = callId, WorkerId = workerId }, transaction, cancellationToken: ct)).ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(string callId, CancellationToken cancellationToken)
    {
        var released = await store.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteAsync(new CommandDefinition(store.Sql(
            $"UPDATE workers SET {FreeSlot}, last_released_at = {{now}} WHERE pool = @Pool AND call_id = @CallId"),
            new { Pool = pool, CallId = callId }, transaction, cancellationToken: ct)).ConfigureAwait(false) == 1, cancellationToken).ConfigureAwait(false);
        if (released)
        {
            LogReleased(logger, callId, pool);
        }

        return released;
    }

    /// <inheritdoc />
    public async Task<ReapResult> ReapAsync(CancellationToken cancellationToken)
    {
        var result = await store.WriteAsync(async (connection, transaction, ct) =>
        {
            await LockPoolAsync(connection, transaction, create: false, ct).ConfigureAwait(false);
            var expired = (await connection.QueryAsync<WorkerRow>(new CommandDefinition(store.Sql(
                "DELETE FROM workers WHERE pool = @Pool AND expires_at <= {now} RETURNING worker_id, call_id"),
                new { Pool = pool }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            var lost = await CallRows.EndAsync(store, connection, transaction,
                expired.Where(w => w.CallId is not null).Select(w => w.CallId!).ToList(), EndReasons.WorkerLost, "worker stopped heartbeating", ct).ConfigureAwait(false);

            var stale = (await connection.QueryAsync<WorkerRow>(new CommandDefinition(store.Sql(
                "SELECT worker_id, call_id FROM workers WHERE pool = @Pool AND state = 'reserved' AND reservation_expires_at <= {now}"),
                new { Pool = pool }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            var freed = new List<string>();
            foreach (var row in stale)
            {
                var rows = await connection.ExecuteAsync(new CommandDefinition(store.Sql(
                    $"UPDATE workers SET {FreeSlot}, last_released_at = {{now}} WHERE worker_id = @WorkerId AND call_id = @CallId AND state = 'reserved'"),
                    new { row.WorkerId, row.CallId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                if (rows == 1)
                {
                    freed.Add(row.CallId!);
                }
            }

            await CallRows.EndAsync(store, connection, transaction, freed, EndReasons.ReservationExpired, "media never connected", ct).ConfigureAwait(false);
            return new ReapResult(expired.Select(w => w.WorkerId).ToList(), lost, freed);
        }, cancellationToken).ConfigureAwait(false);

        foreach (var worker in result.ExpiredWorkers)
        {
            LogReaped(logger, worker, pool);
        }

        foreach (var call in result.LostCalls)
        {
            LogCallLost(logger, call, "(reaped)");
        }

        return result;
    }

    /// <inheritdoc />
    public Task<FleetSnapshot> GetSnapshotAsync(CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) =>
        {
            var now = await connection.ExecuteScalarAsync<long>(new CommandDefinition(store.Sql("SELECT {now}"), cancellationToken: ct)).ConfigureAwait(false);
            var rows = (await connection.QueryAsync<WorkerRow>(new CommandDefinition(
                "SELECT * FROM workers WHERE pool = @Pool ORDER BY worker_id", new { Pool = pool }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            var live = rows.Where(r => r.ExpiresAt > now && r.Ready).ToList();
            var slots = rows.Select(r => new WorkerSlot(r.WorkerId, r.Pool, r.Host, r.MediaUrl, r.RtpAddress, r.Version,
                r.ExpiresAt > now ? WorkerRow.ParseState(r.State) : WorkerSlotState.Gone, r.CallId, r.TenantId,
                r.Direction switch { "inbound" => CallDirection.Inbound, "outbound" => CallDirection.Outbound, _ => null },
                ToTime(r.RegisteredAt), ToTime(r.HeartbeatAt), ToTime(r.ExpiresAt), r.Ready, r.NotReadyReason, r.NotReadyFix)).ToList();
            return new FleetSnapshot(pool, ToTime(now), live.Count,
                live.Count(r => r.State == "idle"), live.Count(r => r.State == "reserved"), live.Count(r => r.State == "busy"), slots,
                rows.Count(r => r.ExpiresAt > now && !r.Ready));
        }, cancellationToken);

    /// <inheritdoc />
    public Task<FleetCounts> GetCountsAsync(CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) =>
        {
            var now = await connection.ExecuteScalarAsync<long>(new CommandDefinition(store.Sql("SELECT {now}"), cancellationToken: ct)).ConfigureAwait(false);
            var (total, idle, reserved, notReady) = await connection.QuerySingleAsync<(long, long, long, long)>(new CommandDefinition("""
                SELECT coalesce(sum(CASE WHEN ready THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN ready AND state = 'idle' THEN 1 ELSE 0 END), 0),
                       coalesce(sum(CASE WHEN ready AND state = 'reserved' THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN ready THEN 0 ELSE 1 END), 0)
                FROM workers WHERE pool = @Pool AND expires_at > @Now
                """, new { Pool = pool, Now = now }, cancellationToken: ct)).ConfigureAwait(false);
            return new FleetCounts(pool, ToTime(now), (int)total, (int)idle, (int)reserved, (int)(total - idle - reserved), (int)notReady);
        }, cancellationToken);

    private async Task LockPoolAsync(DbConnection connection, DbTransaction transaction, bool create, CancellationToken ct)
    {
        if (create)
        {
            await connection.ExecuteAsync(new CommandDefinition(store.Sql(
                "INSERT INTO capacity_pools (pool, created_at) VALUES (@Pool, {now}) ON CONFLICT (pool) DO NOTHING"),
                new { Pool = pool }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(new CommandDefinition(store.Sql("SELECT pool FROM capacity_pools WHERE pool = @Pool {for_update}"),
            new { Pool = pool }, transaction, cancellationToken: ct)).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} registered in pool {Pool} at {MediaUrl}")]
    private static partial void LogRegistered(ILogger logger, string workerId, string pool, string mediaUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} registered in pool {Pool} as NOT READY (it takes no calls): {Reason}")]
    private static partial void LogRegisteredNotReady(ILogger logger, string workerId, string pool, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} left pool {Pool}")]
    private static partial void LogDeregistered(ILogger logger, string workerId, string pool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} reaped from pool {Pool}: its TTL lapsed")]
    private static partial void LogReaped(ILogger logger, string workerId, string pool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} ended worker_lost (worker {WorkerId})")]
    private static partial void LogCallLost(ILogger logger, string callId, string workerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} reserved worker {WorkerId} for tenant {TenantId}")]
    private static partial void LogReserved(ILogger logger, string callId, string workerId, string tenantId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} refused: {Outcome} (tenant {TenantId})")]
    private static partial void LogRefused(ILogger logger, string callId, ReservationOutcome outcome, string tenantId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} released its worker in pool {Pool}")]
    private static partial void LogReleased(ILogger logger, string callId, string pool);
}
