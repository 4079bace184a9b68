using System.Data.Common;
using Dapper;
using Vox.Grains.Store;
using Vox.Grains.Webhooks;

namespace Vox.Grains.Calls;

/// <summary>SQL shared by the grains that end calls (the call grain itself, and capacity when a worker is lost).</summary>
internal static class CallRows
{
    /// <summary>Ends each listed call that has not ended yet; returns the ids actually ended.</summary>
    public static async Task<IReadOnlyList<string>> EndAsync(IGrainStore store, DbConnection connection, DbTransaction transaction,
        IReadOnlyCollection<string> callIds, string reason, string? detail, CancellationToken cancellationToken)
    {
        var ended = new List<string>();
        foreach (var callId in callIds)
        {
            var row = await connection.QuerySingleOrDefaultAsync<CallRow>(new CommandDefinition(store.Sql(
                "UPDATE calls SET state = 'ended', ended_at = {now}, end_reason = @Reason, end_detail = @Detail WHERE id = @Id AND state <> 'ended' RETURNING *"),
                new { Id = callId, Reason = reason, Detail = detail }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (row is not null)
            {
                await AppendEventAsync(store, connection, transaction, callId, "ended", $"{{\"reason\":\"{reason}\"}}", cancellationToken).ConfigureAwait(false);
                await WebhookOutbox.EnqueueCallEventAsync(store, connection, transaction, row.ToRecord(), WebhookEventTypes.CallEnded, withTranscript: false, cancellationToken).ConfigureAwait(false);
                ended.Add(callId);
            }
        }

        return ended;
    }

    /// <summary>Appends one timeline event stamped with the store's clock.</summary>
    public static Task AppendEventAsync(IGrainStore store, DbConnection connection, DbTransaction transaction,
        string callId, string type, string? data, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(store.Sql(
            "INSERT INTO call_events (call_id, type, at, data) SELECT @CallId, @Type, {now}, @Data WHERE EXISTS (SELECT 1 FROM calls WHERE id = @CallId)"),
            new { CallId = callId, Type = type, Data = data }, transaction, cancellationToken: cancellationToken));
}
