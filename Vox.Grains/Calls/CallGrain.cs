using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Vox.Grains.Store;
using Vox.Grains.Webhooks;

namespace Vox.Grains.Calls;

/// <summary>
/// A call on the store. Its lifecycle only moves forward; completion is exactly once per result id. Once the call has
/// ended, <paramref name="releaseWorker"/> frees the worker slot it held in its pool grain.
/// </summary>
public sealed partial class CallGrain(string callId, IGrainStore store, Func<string, CancellationToken, Task> releaseWorker, ILogger<CallGrain> logger) : ICallGrain
{
    /// <inheritdoc />
    public string Key => callId;

    /// <inheritdoc />
    public Task<CallRecord> StartAsync(CallStart start, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            var existing = await FindAsync(connection, transaction, forUpdate: false, ct).ConfigureAwait(false);
            if (existing is not null)
            {
                return existing.TenantId == start.TenantId
                    ? existing.ToRecord()
                    : throw new ConflictException("call_exists", $"Call id '{callId}' is taken.", "id");
            }

            var botVersion = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT version FROM bots WHERE id = @BotId AND tenant_id = @TenantId AND deleted_at IS NULL",
                new { start.BotId, start.TenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false)
                ?? throw new NotFoundException("bot", start.BotId);
            var row = await connection.QuerySingleAsync<CallRow>(new CommandDefinition(store.Sql("""
                INSERT INTO calls (id, tenant_id, bot_id, bot_version, direction, transport, from_number, to_number, state, worker_id, campaign_id, created_at, metadata)
                VALUES (@Id, @TenantId, @BotId, @BotVersion, @Direction, @Transport, @From, @To, 'queued', @WorkerId, @CampaignId, {now}, @Metadata)
                RETURNING *
                """), new
            {
                Id = callId, start.TenantId, start.BotId, BotVersion = (int)botVersion, Direction = CallRow.DirectionName(start.Direction),
                start.Transport, start.From, start.To, start.WorkerId, start.CampaignId,
                Metadata = JsonSerializer.Serialize(start.Metadata ?? new Dictionary<string, string>(), VoxJson.Options),
            }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await WebhookOutbox.EnqueueCallEventAsync(store, connection, transaction, row.ToRecord(), WebhookEventTypes.CallStarted, withTranscript: false, ct).ConfigureAwait(false);
            await CallRows.AppendEventAsync(store, connection, transaction, callId, "created", null, ct).ConfigureAwait(false);
            return row.ToRecord();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<CallRecord> TransitionAsync(CallState state, string? workerId, CancellationToken cancellationToken)
    {
        if (state == CallState.Ended)
        {
            throw new ConflictException("invalid_transition", "A call ends through its result or an end reason, not a state change.", "state");
        }

        return store.WriteAsync(async (connection, transaction, ct) =>
        {
            var row = await LoadAsync(connection, transaction, null, forUpdate: true, ct).ConfigureAwait(false);
            var current = CallRow.ParseState(row.State);
            if (current == state)
            {
                return row.ToRecord();
            }

            if (current > state)
            {
                throw new ConflictException("invalid_transition", $"Call '{callId}' is {row.State}; it cannot go back to {CallRow.StateName(state)}.", "state");
            }

            var stamp = state == CallState.Ringing ? "ringing_at = {now}" : "answered_at = {now}";
            var updated = await connection.QuerySingleAsync<CallRow>(new CommandDefinition(store.Sql(
                $"UPDATE calls SET state = @State, worker_id = coalesce(@WorkerId, worker_id), {stamp} WHERE id = @Id RETURNING *"),
                new { Id = callId, State = CallRow.StateName(state), WorkerId = workerId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await CallRows.AppendEventAsync(store, connection, transaction, callId, CallRow.StateName(state), null, ct).ConfigureAwait(false);
            return updated.ToRecord();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task AppendEventsAsync(IReadOnlyList<CallEventInput> events, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            await LoadAsync(connection, transaction, null, forUpdate: false, ct).ConfigureAwait(false);
            foreach (var e in events)
            {
                await connection.ExecuteAsync(new CommandDefinition(store.Sql(
                    "INSERT INTO call_events (call_id, type, at, data) VALUES (@Id, @Type, coalesce(@At, {now}), @Data)"),
                    new { Id = callId, e.Type, At = e.At is { } at ? DbTime.ToMs(at) : (long?)null, Data = e.Data?.GetRawText() },
                    transaction, cancellationToken: ct)).ConfigureAwait(false);
            }

            return events.Count;
        }, cancellationToken);

    /// <inheritdoc />
    public Task AppendTurnsAsync(IReadOnlyList<TranscriptTurn> turns, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            await LoadAsync(connection, transaction, null, forUpdate: false, ct).ConfigureAwait(false);
            await InsertTurnsAsync(connection, transaction, turns, ct).ConfigureAwait(false);
            return turns.Count;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<CompletionOutcome> CompleteAsync(CallResult result, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(result.ResultId);
        var outcome = await store.WriteAsync(async (connection, transaction, ct) =>
        {
            var row = await LoadAsync(connection, transaction, null, forUpdate: true, ct).ConfigureAwait(false);
            if (row.ResultId == result.ResultId)
            {
                return CompletionOutcome.Duplicate;
            }

            if (row.ResultId is not null)
            {
                throw new ConflictException("already_completed", $"Call '{callId}' was completed by result '{row.ResultId}'; result '{result.ResultId}' is refused.", "resultId");
            }

            var ended = await connection.QuerySingleAsync<CallRow>(new CommandDefinition(store.Sql("""
                UPDATE calls SET state = 'ended', ended_at = coalesce(ended_at, {now}), end_reason = @EndReason, end_detail = @Detail,
                    result_id = @ResultId, recording_ref = @RecordingRef, metrics = @Metrics, analysis = @Analysis
                WHERE id = @Id RETURNING *
                """), new
            {
                Id = callId, result.EndReason, result.Detail, result.ResultId, result.RecordingRef,
                Metrics = result.Metrics?.GetRawText(), Analysis = result.Analysis?.GetRawText(),
            }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await InsertTurnsAsync(connection, transaction, result.Turns, ct, overwrite: true).ConfigureAwait(false);
            await WebhookOutbox.EnqueueCallEventAsync(store, connection, transaction, ended.ToRecord(), WebhookEventTypes.CallCompleted, withTranscript: true, ct).ConfigureAwait(false);
            await CallRows.AppendEventAsync(store, connection, transaction, callId, "completed",
                JsonSerializer.Serialize(new { result.ResultId, result.EndReason }, VoxJson.Options), ct).ConfigureAwait(false);
            return CompletionOutcome.Accepted;
        }, cancellationToken).ConfigureAwait(false);
        LogCompleted(logger, callId, result.ResultId, outcome);
        await releaseWorker(callId, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <inheritdoc />
    public async Task<CallRecord> EndAsync(string endReason, string? detail, CancellationToken cancellationToken)
    {
        var record = await store.WriteAsync(async (connection, transaction, ct) =>
        {
            await LoadAsync(connection, transaction, null, forUpdate: true, ct).ConfigureAwait(false);
            await CallRows.EndAsync(store, connection, transaction, [callId], endReason, detail, ct).ConfigureAwait(false);
            return (await LoadAsync(connection, transaction, null, forUpdate: false, ct).ConfigureAwait(false)).ToRecord();
        }, cancellationToken).ConfigureAwait(false);
        await releaseWorker(callId, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <inheritdoc />
    public Task<CallRecord> GetAsync(string? tenantId, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) => (await LoadAsync(connection, null, tenantId, forUpdate: false, ct).ConfigureAwait(false)).ToRecord(), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TranscriptTurn>> GetTurnsAsync(string? tenantId, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<TranscriptTurn>>(async (connection, ct) =>
        {
            await LoadAsync(connection, null, tenantId, forUpdate: false, ct).ConfigureAwait(false);
            var rows = await connection.QueryAsync<(long Seq, string Role, string Text, long StartMs, long EndMs, bool Interrupted)>(new CommandDefinition(
                "SELECT seq, role, text, start_ms, end_ms, interrupted FROM call_turns WHERE call_id = @Id ORDER BY seq", new { Id = callId }, cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => new TranscriptTurn((int)r.Seq, r.Role, r.Text, r.StartMs, r.EndMs, r.Interrupted)).ToList();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CallEvent>> GetEventsAsync(string? tenantId, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<CallEvent>>(async (connection, ct) =>
        {
            await LoadAsync(connection, null, tenantId, forUpdate: false, ct).ConfigureAwait(false);
            var rows = await connection.QueryAsync<(long Seq, string Type, long At, string? Data)>(new CommandDefinition(
                "SELECT seq, type, at, data FROM call_events WHERE call_id = @Id ORDER BY seq", new { Id = callId }, cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => new CallEvent(r.Seq, r.Type, DbTime.ToTime(r.At), r.Data is null ? null : JsonDocument.Parse(r.Data).RootElement.Clone())).ToList();
        }, cancellationToken);

    // Live turns are appended as they happen and come again with the result, which is the record that counts.
    private async Task InsertTurnsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TranscriptTurn> turns, CancellationToken ct, bool overwrite = false)
    {
        var conflict = overwrite
            ? "DO UPDATE SET role = excluded.role, text = excluded.text, start_ms = excluded.start_ms, end_ms = excluded.end_ms, interrupted = excluded.interrupted"
            : "DO NOTHING";
        foreach (var t in turns)
        {
            await connection.ExecuteAsync(new CommandDefinition($"""
                INSERT INTO call_turns (call_id, seq, role, text, start_ms, end_ms, interrupted)
                VALUES (@Id, @Sequence, @Role, @Text, @StartMs, @EndMs, @Interrupted) ON CONFLICT (call_id, seq) {conflict}
                """, new { Id = callId, t.Sequence, t.Role, t.Text, t.StartMs, t.EndMs, t.Interrupted }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        }
    }

    private Task<CallRow?> FindAsync(DbConnection connection, DbTransaction? transaction, bool forUpdate, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<CallRow>(new CommandDefinition(store.Sql("SELECT * FROM calls WHERE id = @Id" + (forUpdate ? " {for_update}" : "")),
            new { Id = callId }, transaction, cancellationToken: ct));

    private async Task<CallRow> LoadAsync(DbConnection connection, DbTransaction? transaction, string? tenantId, bool forUpdate, CancellationToken ct)
    {
        var row = await FindAsync(connection, transaction, forUpdate, ct).ConfigureAwait(false);
        return row is not null && (tenantId is null || row.TenantId == tenantId) ? row : throw new NotFoundException("call", callId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} result {ResultId}: {Outcome}")]
    private static partial void LogCompleted(ILogger logger, string callId, string resultId, CompletionOutcome outcome);
}
