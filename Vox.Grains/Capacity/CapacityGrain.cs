using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Vox.Grains.Calls;
using Vox.Grains.Store;

namespace Vox.Grains.Capacity;

/// <summary>
/// The slots of one worker pool, decided in this activation's memory. Orleans keeps one activation per pool in the
/// cluster and runs its calls one at a time, so "one call per worker", the tenant cap and the inbound reserve need no
/// lock and no store round trip: a reservation, an attach, a release and a heartbeat write nothing.
/// </summary>
/// <remarks>
/// <para>What is written: a worker's registration (its row in <c>workers</c>, so a new activation knows the pool at
/// once) and the calls a reap or a restarted worker ends (with their webhook events, in one transaction).</para>
/// <para>After a failover the new activation rebuilds from those rows (every worker gets a fresh TTL to prove it is
/// alive) and from the calls table (a worker recorded on a call still running is busy with it). A worker it does not
/// know is told to register again at once and says which call it carries; a heartbeat says so too, so a call the rows
/// did not show is adopted rather than double-booked. A reservation granted by the lost activation whose media had not
/// attached yet is not in any row: the worker itself, which never carries two calls, is the last guard.</para>
/// <para>The tenant cap counts the tenant's calls in this pool; a tenant's cap is read from the store and kept for
/// <see cref="TenantCapCacheMs"/>.</para>
/// </remarks>
internal sealed partial class CapacityGrain : Grain, ICapacityGrain
{
    private const int TenantCapCacheMs = 5_000;

    private readonly IGrainStore _store;
    private readonly CapacityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CapacityGrain> _logger;
    private readonly Dictionary<string, Slot> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slot> _byCall = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tenantCalls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int? Cap, long ReadAt)> _tenantCaps = new(StringComparer.Ordinal);
    // Idle, ready workers, least recently released first (ties by id), as the SQL pool picked them.
    private readonly SortedSet<Slot> _idle = new(Slot.ByRelease);
    private string _pool = "";

    private readonly string _silo;

    public CapacityGrain(IGrainStore store, IOptions<CapacityOptions> options, TimeProvider time, ILocalSiloDetails silo, ILogger<CapacityGrain> logger)
    {
        _silo = silo.Name;
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pool = this.GetPrimaryKeyString();
        var rows = await ReadAsync(async (connection, ct) => (await connection.QueryAsync<WorkerRow>(new CommandDefinition(
            "SELECT * FROM workers WHERE pool = @Pool", new { Pool = _pool }, cancellationToken: ct))).ToList(), cancellationToken);
        var now = Now;
        foreach (var row in rows)
        {
            var slot = new Slot(row.WorkerId)
            {
                Host = row.Host, MediaUrl = row.MediaUrl, RtpAddress = row.RtpAddress, Version = row.Version, Ready = row.Ready,
                NotReadyReason = row.NotReadyReason, NotReadyFix = row.NotReadyFix, RegisteredAt = row.RegisteredAt,
                HeartbeatAt = row.HeartbeatAt, ExpiresAt = now + _options.WorkerTtlMs, Confirmed = false,
            };
            _workers[slot.WorkerId] = slot;
        }

        if (_workers.Count > 0)
        {
            var running = await ReadAsync(async (connection, ct) => (await connection.QueryAsync<RunningCall>(new CommandDefinition(
                _store.Dialect == StoreDialect.Postgres
                    ? "SELECT id, tenant_id, direction, worker_id FROM calls WHERE state <> 'ended' AND worker_id = ANY(@Workers)"
                    : "SELECT id, tenant_id, direction, worker_id FROM calls WHERE state <> 'ended' AND worker_id IN @Workers",
                new { Workers = _workers.Keys.ToArray() }, cancellationToken: ct))).ToList(), cancellationToken);
            foreach (var call in running)
            {
                if (call.WorkerId is not null && _workers.TryGetValue(call.WorkerId, out var slot) && slot.CallId is null && !_byCall.ContainsKey(call.Id))
                {
                    Take(slot, call.Id, call.TenantId, call.Direction == "outbound" ? CallDirection.Outbound : CallDirection.Inbound, WorkerSlotState.Busy, null);
                }
            }
        }

        // The others wait for their first heartbeat, which says whether they carry a call this activation cannot know of
        // (granted by the lost activation): until then none is handed out.

        LogActivated(_logger, _pool, _workers.Count, _byCall.Count);
        var period = TimeSpan.FromMilliseconds(_options.ReaperPeriodMs);
        this.RegisterGrainTimer(ct => (Task)ReapAsync(ct), new GrainTimerCreationOptions(period, period) { KeepAlive = true, Interleave = false });
    }

    /// <inheritdoc />
    public async Task<WorkerLease> RegisterWorkerAsync(WorkerRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.WorkerId);
        var now = Now;
        _workers.TryGetValue(registration.WorkerId, out var known);
        // A worker that registers again while holding another call than the one it says it carries has restarted: that call is gone.
        var lostCall = known?.CallId is { } held && held != registration.CallId ? held : null;
        var registeredAt = await WriteAsync(async (connection, transaction, ct) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(_store.Sql(
                "INSERT INTO capacity_pools (pool, created_at) VALUES (@Pool, {now}) ON CONFLICT (pool) DO NOTHING"),
                new { Pool = _pool }, transaction, cancellationToken: ct));
            var at = await connection.ExecuteScalarAsync<long>(new CommandDefinition(_store.Sql("""
                INSERT INTO workers (worker_id, pool, host, media_url, rtp_address, version, ttl_ms, registered_at, heartbeat_at, expires_at, state,
                                     ready, not_ready_reason, not_ready_fix)
                VALUES (@WorkerId, @Pool, @Host, @MediaUrl, @RtpAddress, @Version, @TtlMs, {now}, {now}, {now} + @TtlMs, 'idle',
                        @Ready, @NotReadyReason, @NotReadyFix)
                ON CONFLICT (worker_id) DO UPDATE SET pool = excluded.pool, host = excluded.host, media_url = excluded.media_url,
                    rtp_address = excluded.rtp_address, version = excluded.version, ttl_ms = excluded.ttl_ms,
                    ready = excluded.ready, not_ready_reason = excluded.not_ready_reason, not_ready_fix = excluded.not_ready_fix,
                    registered_at = excluded.registered_at, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
                RETURNING registered_at
                """), new { registration.WorkerId, Pool = _pool, registration.Host, registration.MediaUrl, registration.RtpAddress, registration.Version,
                    TtlMs = (long)_options.WorkerTtlMs, registration.Ready, NotReadyReason = registration.Ready ? null : registration.NotReadyReason,
                    NotReadyFix = registration.Ready ? null : registration.NotReadyFix },
                transaction, cancellationToken: ct));
            if (lostCall is not null)
            {
                await CallRows.EndAsync(_store, connection, transaction, [lostCall], EndReasons.WorkerLost, "worker re-registered", ct);
            }

            return at;
        }, cancellationToken);

        if (known is not null)
        {
            Remove(known);
        }

        var slot = new Slot(registration.WorkerId)
        {
            Host = registration.Host, MediaUrl = registration.MediaUrl, RtpAddress = registration.RtpAddress, Version = registration.Version,
            Ready = registration.Ready, NotReadyReason = registration.Ready ? null : registration.NotReadyReason,
            NotReadyFix = registration.Ready ? null : registration.NotReadyFix, RegisteredAt = registeredAt, HeartbeatAt = now,
            ExpiresAt = now + _options.WorkerTtlMs, LastReleasedAt = known?.LastReleasedAt ?? 0,
        };
        _workers[slot.WorkerId] = slot;
        if (registration.CallId is { } carried && known?.CallId == carried)
        {
            // Registered again (this activation forgot it, or the worker thought so) while carrying the call it held.
            Take(slot, carried, known.TenantId, known.Direction ?? CallDirection.Inbound, known.State, known.ReservationExpiresAt);
        }
        else if (registration.CallId is { } adopted)
        {
            await AdoptAsync(slot, adopted, cancellationToken);
        }
        else if (slot.Ready)
        {
            _idle.Add(slot);
        }

        if (registration.Ready)
        {
            LogRegistered(_logger, registration.WorkerId, _pool, registration.MediaUrl);
        }
        else
        {
            LogRegisteredNotReady(_logger, registration.WorkerId, _pool, registration.NotReadyReason ?? "no reason given");
        }

        if (lostCall is not null)
        {
            LogCallLost(_logger, lostCall, registration.WorkerId);
        }

        return new WorkerLease(registration.WorkerId, _pool, _options.WorkerTtlMs, _options.HeartbeatIntervalMs, DateTimeOffset.FromUnixTimeMilliseconds(slot.ExpiresAt));
    }

    /// <inheritdoc />
    public async Task<WorkerHeartbeat> HeartbeatAsync(string workerId, string? callId, CancellationToken cancellationToken)
    {
        if (!_workers.TryGetValue(workerId, out var slot))
        {
            return new WorkerHeartbeat(false, WorkerSlotState.Gone, null);
        }

        var now = Now;
        slot.HeartbeatAt = now;
        slot.ExpiresAt = now + _options.WorkerTtlMs;
        if (slot.Lapsed || !slot.Confirmed)
        {
            // Late, or known only from the registry since this activation began: alive, and it may take calls (unless it
            // names one below).
            slot.Lapsed = false;
            slot.Confirmed = true;
            if (slot.Ready && slot.CallId is null && callId is null)
            {
                _idle.Add(slot);
            }
        }

        // A worker whose media attached and that says twice in a row it carries no call has finished it, and the release
        // was lost (a silo died between ending the call and freeing the slot): free it. Once is not enough: a heartbeat
        // sent just before the worker took its call may arrive after the attach.
        if (callId is null && slot.State == WorkerSlotState.Busy)
        {
            if (++slot.IdleBeats >= 2)
            {
                LogFreedByHeartbeat(_logger, slot.CallId!, slot.WorkerId, _pool);
                Free(slot);
            }
        }
        else
        {
            slot.IdleBeats = 0;
        }

        // A heartbeat sent before the release of the call it names (they travel on separate requests) adopts nothing.
        if (callId is not null && slot.CallId is null && callId != slot.ReleasedCallId)
        {
            _idle.Remove(slot);
            // The worker carries a call this activation did not know of (granted before a failover): it is busy.
            await AdoptAsync(slot, callId, cancellationToken);
        }

        return new WorkerHeartbeat(true, slot.State, slot.CallId);
    }

    /// <inheritdoc />
    public async Task<bool> DeregisterWorkerAsync(string workerId, CancellationToken cancellationToken)
    {
        _workers.TryGetValue(workerId, out var slot);
        var removed = await WriteAsync(async (connection, transaction, ct) =>
        {
            var rows = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM workers WHERE worker_id = @WorkerId AND pool = @Pool", new { WorkerId = workerId, Pool = _pool }, transaction, cancellationToken: ct));
            if (slot?.CallId is { } call)
            {
                await CallRows.EndAsync(_store, connection, transaction, [call], EndReasons.WorkerLost, "worker deregistered", ct);
            }

            return rows > 0 || slot is not null;
        }, cancellationToken);
        if (slot is not null)
        {
            Remove(slot);
        }

        if (removed)
        {
            LogDeregistered(_logger, workerId, _pool);
        }

        return removed;
    }

    /// <inheritdoc />
    public async Task<ReservationResult> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        if (!_tenantCaps.TryGetValue(request.TenantId, out var cap) || Now - cap.ReadAt > TenantCapCacheMs)
        {
            await ReadTenantCapsAsync([request.TenantId], cancellationToken);
        }

        return Decide(request);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReservationResult>> ReserveManyAsync(IReadOnlyList<ReservationRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            Validate(request);
        }

        var now = Now;
        var stale = requests.Select(r => r.TenantId).Distinct(StringComparer.Ordinal)
            .Where(t => !_tenantCaps.TryGetValue(t, out var cap) || now - cap.ReadAt > TenantCapCacheMs).ToList();
        if (stale.Count > 0)
        {
            await ReadTenantCapsAsync(stale, cancellationToken);
        }

        return requests.Select(Decide).ToList();
    }

    /// <inheritdoc />
    public async Task<bool> AttachAsync(string callId, string workerId, CancellationToken cancellationToken)
    {
        if (!_workers.TryGetValue(workerId, out var slot) || slot.ExpiresAt <= Now)
        {
            return false;
        }

        if (slot.CallId == callId)
        {
            slot.State = WorkerSlotState.Busy;
            slot.ReservationExpiresAt = null;
            return true;
        }

        // Reserved by an activation lost since (a failover): the worker is idle here, so it takes the call.
        return slot.CallId is null && await AdoptAsync(slot, callId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ReleaseAsync(string callId, CancellationToken cancellationToken)
    {
        if (!_byCall.TryGetValue(callId, out var slot))
        {
            return Task.FromResult(false);
        }

        Free(slot);
        LogReleased(_logger, callId, _pool);
        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public async Task<ReapResult> ReapAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var expired = _workers.Values.Where(s => s.ExpiresAt <= now).ToList();
        var stale = _workers.Values.Where(s => s.ExpiresAt > now && s.State == WorkerSlotState.Reserved && s.ReservationExpiresAt <= now).ToList();
        if (expired.Count == 0 && stale.Count == 0)
        {
            return new ReapResult([], [], []);
        }

        var lostCalls = expired.Where(s => s.CallId is not null).Select(s => s.CallId!).ToList();
        var freedCalls = stale.Select(s => s.CallId!).ToList();
        var (lost, _) = await WriteAsync(async (connection, transaction, ct) =>
        {
            foreach (var slot in expired)
            {
                // Only the row this activation's registration wrote: a worker that registered with another pool since keeps its row.
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM workers WHERE worker_id = @WorkerId AND pool = @Pool",
                    new { slot.WorkerId, Pool = _pool }, transaction, cancellationToken: ct));
            }

            var ended = await CallRows.EndAsync(_store, connection, transaction, lostCalls, EndReasons.WorkerLost, "worker stopped heartbeating", ct);
            var expiredReservations = await CallRows.EndAsync(_store, connection, transaction, freedCalls, EndReasons.ReservationExpired, "media never connected", ct);
            return (ended, expiredReservations);
        }, cancellationToken);

        foreach (var slot in expired)
        {
            Remove(slot);
            LogReaped(_logger, slot.WorkerId, _pool);
        }

        foreach (var slot in stale)
        {
            Free(slot);
        }

        foreach (var call in lost)
        {
            LogCallLost(_logger, call, "(reaped)");
        }

        return new ReapResult(expired.Select(s => s.WorkerId).ToList(), lost, freedCalls);
    }

    /// <inheritdoc />
    public Task<FleetSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var slots = _workers.Values.OrderBy(s => s.WorkerId, StringComparer.Ordinal).Select(s => new WorkerSlot(s.WorkerId, _pool, s.Host, s.MediaUrl, s.RtpAddress,
            s.Version, s.ExpiresAt > now ? s.State : WorkerSlotState.Gone, s.CallId, s.TenantId, s.Direction, At(s.RegisteredAt), At(s.HeartbeatAt),
            At(s.ExpiresAt), s.Ready, s.NotReadyReason, s.NotReadyFix)).ToList();
        var (total, idle, reserved, busy, notReady) = Count(now);
        return Task.FromResult(new FleetSnapshot(_pool, At(now), total, idle, reserved, busy, slots, notReady, _silo));
    }

    /// <inheritdoc />
    public Task<FleetCounts> GetCountsAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var (total, idle, reserved, busy, notReady) = Count(now);
        return Task.FromResult(new FleetCounts(_pool, At(now), total, idle, reserved, busy, notReady));
    }

    // A driver's exception (say Npgsql's) has no Orleans codec and would fail the reply itself: the caller, maybe on
    // another silo, gets the store's message in an exception Orleans can carry.
    private async Task<T> ReadAsync<T>(Func<System.Data.Common.DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.ReadAsync(work, cancellationToken);
        }
        catch (System.Data.Common.DbException ex)
        {
            throw new InvalidOperationException($"Pool '{_pool}': the store failed: {ex.Message}");
        }
    }

    private async Task<T> WriteAsync<T>(Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.WriteAsync(work, cancellationToken);
        }
        catch (System.Data.Common.DbException ex)
        {
            throw new InvalidOperationException($"Pool '{_pool}': the store failed: {ex.Message}");
        }
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static void Validate(ReservationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.CallId);
    }

    private (int Total, int Idle, int Reserved, int Busy, int NotReady) Count(long now)
    {
        int total = 0, idle = 0, reserved = 0, busy = 0, notReady = 0;
        foreach (var slot in _workers.Values)
        {
            if (slot.ExpiresAt <= now)
            {
                continue;
            }

            if (!slot.Ready)
            {
                notReady++;
                continue;
            }

            total++;
            switch (slot.State)
            {
                case WorkerSlotState.Idle: idle++; break;
                case WorkerSlotState.Reserved: reserved++; break;
                default: busy++; break;
            }
        }

        return (total, idle, reserved, busy, notReady);
    }

    // The rules of the SQL pool, in its order: the call's own worker, the tenant cap, the inbound reserve, then the idle worker released longest ago.
    private ReservationResult Decide(ReservationRequest request)
    {
        var now = Now;
        if (_byCall.TryGetValue(request.CallId, out var own) && own.ExpiresAt > now)
        {
            return Granted(request, own);
        }

        if (_tenantCaps.TryGetValue(request.TenantId, out var cap) && cap.Cap is { } limit)
        {
            var active = _tenantCalls.GetValueOrDefault(request.TenantId);
            if (active >= limit)
            {
                LogRefused(_logger, request.CallId, ReservationOutcome.TenantLimit, request.TenantId);
                return new ReservationResult(ReservationOutcome.TenantLimit, null, $"Tenant {request.TenantId} already has {limit} concurrent calls, its limit.");
            }
        }

        // Workers whose TTL lapsed wait for the reaper; they are never handed out.
        while (_idle.Min is { } lapsed && lapsed.ExpiresAt <= now)
        {
            _idle.Remove(lapsed);
            lapsed.Lapsed = true;
        }

        if (request.Direction == CallDirection.Outbound)
        {
            var (total, free, _, _, _) = Count(now);
            if (free > 0 && free <= Math.Ceiling(total * _options.InboundReserveRatio))
            {
                LogRefused(_logger, request.CallId, ReservationOutcome.InboundReserve, request.TenantId);
                return new ReservationResult(ReservationOutcome.InboundReserve, null, $"Only the {free} slots kept for inbound calls are free in pool '{_pool}'.");
            }
        }

        if (_idle.Min is not { } slot)
        {
            LogRefused(_logger, request.CallId, ReservationOutcome.NoCapacity, request.TenantId);
            return new ReservationResult(ReservationOutcome.NoCapacity, null, $"No capacity: every worker in pool '{_pool}' is busy.");
        }

        Take(slot, request.CallId, request.TenantId, request.Direction, WorkerSlotState.Reserved, now + _options.ReservationTtlMs);
        return Granted(request, slot);
    }

    private ReservationResult Granted(ReservationRequest request, Slot slot)
    {
        LogReserved(_logger, request.CallId, slot.WorkerId, request.TenantId);
        return new ReservationResult(ReservationOutcome.Granted,
            new ReservedWorker(slot.WorkerId, slot.Host, slot.MediaUrl, slot.RtpAddress, At(slot.ReservationExpiresAt ?? slot.ExpiresAt)),
            $"Worker {slot.WorkerId} reserved for call {request.CallId}.");
    }

    private void Take(Slot slot, string callId, string? tenantId, CallDirection direction, WorkerSlotState state, long? reservationExpiresAt)
    {
        _idle.Remove(slot);
        slot.CallId = callId;
        slot.TenantId = tenantId;
        slot.Direction = direction;
        slot.State = state;
        slot.ReservationExpiresAt = reservationExpiresAt;
        _byCall[callId] = slot;
        if (tenantId is not null)
        {
            _tenantCalls[tenantId] = _tenantCalls.GetValueOrDefault(tenantId) + 1;
        }
    }

    private void Free(Slot slot)
    {
        slot.ReleasedCallId = slot.CallId;
        slot.IdleBeats = 0;
        Vacate(slot);
        slot.LastReleasedAt = Now;
        if (slot.Ready && !slot.Lapsed && slot.Confirmed && _workers.TryGetValue(slot.WorkerId, out var current) && ReferenceEquals(current, slot))
        {
            _idle.Add(slot);
        }
    }

    private void Remove(Slot slot)
    {
        Vacate(slot);
        _idle.Remove(slot);
        if (_workers.TryGetValue(slot.WorkerId, out var current) && ReferenceEquals(current, slot))
        {
            _workers.Remove(slot.WorkerId);
        }
    }

    private void Vacate(Slot slot)
    {
        if (slot.CallId is { } call)
        {
            _byCall.Remove(call);
            if (slot.TenantId is { } tenant && _tenantCalls.TryGetValue(tenant, out var count))
            {
                if (count <= 1)
                {
                    _tenantCalls.Remove(tenant);
                }
                else
                {
                    _tenantCalls[tenant] = count - 1;
                }
            }
        }

        slot.CallId = null;
        slot.TenantId = null;
        slot.Direction = null;
        slot.ReservationExpiresAt = null;
        slot.State = WorkerSlotState.Idle;
    }

    // The worker says it carries callId: it is busy with it, unless another worker holds that call. The call's row, when
    // there is one, gives the tenant to count toward its cap.
    private async Task<bool> AdoptAsync(Slot slot, string callId, CancellationToken cancellationToken)
    {
        var call = _byCall.ContainsKey(callId) ? null : await ReadAsync((connection, ct) => connection.QuerySingleOrDefaultAsync<RunningCall>(new CommandDefinition(
            "SELECT id, tenant_id, direction, worker_id FROM calls WHERE id = @Id", new { Id = callId }, cancellationToken: ct)), cancellationToken);
        if (_byCall.ContainsKey(callId) || slot.CallId is not null || !_workers.TryGetValue(slot.WorkerId, out var current) || !ReferenceEquals(current, slot))
        {
            if (slot.Ready && slot.CallId is null && slot.Confirmed && _workers.TryGetValue(slot.WorkerId, out var still) && ReferenceEquals(still, slot))
            {
                _idle.Add(slot);
            }

            return false;
        }

        Take(slot, callId, call?.TenantId, call?.Direction == "outbound" ? CallDirection.Outbound : CallDirection.Inbound, WorkerSlotState.Busy, null);
        LogAdopted(_logger, callId, slot.WorkerId, _pool);
        return true;
    }

    private async Task ReadTenantCapsAsync(IReadOnlyList<string> tenants, CancellationToken cancellationToken)
    {
        var caps = await ReadAsync(async (connection, ct) => (await connection.QueryAsync<(string Id, int? Cap)>(new CommandDefinition(
            _store.Dialect == StoreDialect.Postgres
                ? "SELECT id, max_concurrent_calls FROM tenants WHERE id = ANY(@Ids)"
                : "SELECT id, max_concurrent_calls FROM tenants WHERE id IN @Ids",
            new { Ids = tenants.ToArray() }, cancellationToken: ct))).ToDictionary(r => r.Id, r => r.Cap, StringComparer.Ordinal), cancellationToken);
        var now = Now;
        foreach (var tenant in tenants)
        {
            _tenantCaps[tenant] = (caps.GetValueOrDefault(tenant), now);
        }
    }

    private sealed class Slot(string workerId)
    {
        public static readonly IComparer<Slot> ByRelease = Comparer<Slot>.Create((a, b) =>
        {
            var byTime = a.LastReleasedAt.CompareTo(b.LastReleasedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.WorkerId, b.WorkerId);
        });

        public string WorkerId { get; } = workerId;
        public string Host { get; init; } = "";
        public string MediaUrl { get; init; } = "";
        public string? RtpAddress { get; init; }
        public string? Version { get; init; }
        public bool Ready { get; init; } = true;
        public string? NotReadyReason { get; init; }
        public string? NotReadyFix { get; init; }
        public long RegisteredAt { get; init; }
        public long HeartbeatAt { get; set; }
        public long ExpiresAt { get; set; }
        public long LastReleasedAt { get; set; }
        // Left the idle set because its TTL lapsed; only the reaper (or a new registration) deals with it now.
        public bool Lapsed { get; set; }
        // Heard from (registered or heartbeated) by this activation; a worker loaded from the registry is not until then.
        public bool Confirmed { get; set; } = true;
        public WorkerSlotState State { get; set; } = WorkerSlotState.Idle;
        public string? CallId { get; set; }
        public string? TenantId { get; set; }
        public CallDirection? Direction { get; set; }
        public long? ReservationExpiresAt { get; set; }
        // The call it carried last, so a stale heartbeat naming it does not bring it back.
        public string? ReleasedCallId { get; set; }
        // Heartbeats in a row that said "no call" while this slot was busy.
        public int IdleBeats { get; set; }
    }

    private sealed record RunningCall(string Id, string TenantId, string Direction, string? WorkerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool} activated with {Workers} registered workers, {Calls} of them on a running call")]
    private static partial void LogActivated(ILogger logger, string pool, int workers, int calls);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} adopted on worker {WorkerId} in pool {Pool}: the worker carries it")]
    private static partial void LogAdopted(ILogger logger, string callId, string workerId, string pool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} freed from worker {WorkerId} in pool {Pool}: the worker reports it carries no call")]
    private static partial void LogFreedByHeartbeat(ILogger logger, string callId, string workerId, string pool);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} reserved worker {WorkerId} for tenant {TenantId}")]
    private static partial void LogReserved(ILogger logger, string callId, string workerId, string tenantId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} refused: {Outcome} (tenant {TenantId})")]
    private static partial void LogRefused(ILogger logger, string callId, ReservationOutcome outcome, string tenantId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} released its worker in pool {Pool}")]
    private static partial void LogReleased(ILogger logger, string callId, string pool);
}
