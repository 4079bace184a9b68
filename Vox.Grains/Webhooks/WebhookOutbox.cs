using System.Data.Common;
using System.Text.Json;
using Dapper;
using Vox.Grains.Calls;
using Vox.Grains.Store;

namespace Vox.Grains.Webhooks;

/// <summary>
/// Writes webhook events into the outbox inside the caller's transaction, so an event exists exactly when the state
/// change that caused it commits: a rolled-back change queues nothing, a committed one is never lost.
/// </summary>
internal static class WebhookOutbox
{
    /// <summary>
    /// Queues an event of <paramref name="type"/> with <paramref name="payload"/> as its <c>data</c>, and one pending delivery
    /// per enabled endpoint of <paramref name="tenantId"/> whose filter takes it. Returns the event id, or null when no
    /// endpoint wants it (then nothing is written).
    /// </summary>
    public static async Task<string?> EnqueueAsync(IGrainStore store, DbConnection connection, DbTransaction transaction,
        string tenantId, string type, object payload, CancellationToken cancellationToken)
    {
        // On PostgreSQL the key-share lock keeps a concurrent delete of an endpoint from landing between this read and
        // the delivery insert (which would fail the caller's whole transaction), without blocking edits or other enqueuers.
        var lockRows = store.Dialect == StoreDialect.Postgres ? " FOR KEY SHARE" : "";
        var endpoints = await connection.QueryAsync<(string Id, string EventTypes)>(new CommandDefinition(
            "SELECT id, event_types FROM webhook_endpoints WHERE tenant_id = @TenantId AND enabled" + lockRows,
            new { TenantId = tenantId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var targets = endpoints.Where(e => WebhookEventTypes.Matches(WebhookEndpointRow.ParseEventTypes(e.EventTypes), type)).Select(e => e.Id).ToList();
        if (targets.Count == 0)
        {
            return null;
        }

        var eventId = Ids.New("evt");
        await connection.ExecuteAsync(new CommandDefinition(store.Sql(
            "INSERT INTO webhook_events (id, tenant_id, type, payload, created_at) VALUES (@Id, @TenantId, @Type, @Payload, {now})"),
            new { Id = eventId, TenantId = tenantId, Type = type, Payload = JsonSerializer.Serialize(payload, VoxJson.Options) },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var endpointId in targets)
        {
            await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
                INSERT INTO webhook_deliveries (id, event_id, endpoint_id, tenant_id, status, attempts, created_at, queued_at, next_attempt_at)
                VALUES (@Id, @EventId, @EndpointId, @TenantId, 'pending', 0, {now}, {now}, {now})
                """), new { Id = Ids.New("whd"), EventId = eventId, EndpointId = endpointId, TenantId = tenantId },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return eventId;
    }

    /// <summary>Queues a call event whose data is <c>{"call": …}</c>; with <paramref name="withTranscript"/> the stored turns are included.</summary>
    public static async Task<string?> EnqueueCallEventAsync(IGrainStore store, DbConnection connection, DbTransaction transaction,
        CallRecord call, string type, bool withTranscript, CancellationToken cancellationToken)
    {
        IReadOnlyList<TranscriptTurn>? turns = null;
        if (withTranscript)
        {
            var rows = await connection.QueryAsync<(long Seq, string Role, string Text, long StartMs, long EndMs, bool Interrupted)>(new CommandDefinition(
                "SELECT seq, role, text, start_ms, end_ms, interrupted FROM call_turns WHERE call_id = @Id ORDER BY seq",
                new { call.Id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            turns = rows.Select(r => new TranscriptTurn((int)r.Seq, r.Role, r.Text, r.StartMs, r.EndMs, r.Interrupted)).ToList();
        }

        return await EnqueueAsync(store, connection, transaction, call.TenantId, type, new { Call = WebhookCallData.Of(call, turns) }, cancellationToken).ConfigureAwait(false);
    }
}
