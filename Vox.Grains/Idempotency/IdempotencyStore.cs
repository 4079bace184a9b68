using Dapper;
using Vox.Grains.Store;

namespace Vox.Grains.Idempotency;

/// <summary>Idempotency keys on the store, kept 24 hours; a claim left unfinished for 5 minutes may be taken over.</summary>
public sealed class IdempotencyStore(IGrainStore store) : IIdempotencyStore
{
    private const long RetentionMs = 24 * 3_600_000;
    private const long AbandonedAfterMs = 5 * 60_000;

    /// <inheritdoc />
    public Task<IdempotencyClaim> TryBeginAsync(string tenantId, string key, string requestFingerprint, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            var p = new { TenantId = tenantId, Key = key, Fingerprint = requestFingerprint, Retention = RetentionMs, Abandoned = AbandonedAfterMs };
            await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
                DELETE FROM idempotency_keys WHERE tenant_id = @TenantId AND key = @Key
                  AND (created_at < {now} - @Retention OR (completed_at IS NULL AND created_at < {now} - @Abandoned))
                """), p, transaction, cancellationToken: ct)).ConfigureAwait(false);
            var inserted = await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
                INSERT INTO idempotency_keys (tenant_id, key, fingerprint, created_at) VALUES (@TenantId, @Key, @Fingerprint, {now})
                ON CONFLICT (tenant_id, key) DO NOTHING
                """), p, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (inserted == 1)
            {
                return new IdempotencyClaim(IdempotencyStatus.Started);
            }

            var row = await connection.QuerySingleAsync<(string Fingerprint, long? StatusCode, string? ContentType, string? Body, long? CompletedAt)>(new CommandDefinition(
                "SELECT fingerprint, status_code, content_type, body, completed_at FROM idempotency_keys WHERE tenant_id = @TenantId AND key = @Key",
                p, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (row.Fingerprint != requestFingerprint)
            {
                return new IdempotencyClaim(IdempotencyStatus.Mismatch);
            }

            return row.CompletedAt is null
                ? new IdempotencyClaim(IdempotencyStatus.InProgress)
                : new IdempotencyClaim(IdempotencyStatus.Replay, (int?)row.StatusCode, row.ContentType, row.Body);
        }, cancellationToken);

    /// <inheritdoc />
    public Task CompleteAsync(string tenantId, string key, int statusCode, string? contentType, string body, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteAsync(new CommandDefinition(store.Sql(
            "UPDATE idempotency_keys SET status_code = @StatusCode, content_type = @ContentType, body = @Body, completed_at = {now} WHERE tenant_id = @TenantId AND key = @Key"),
            new { TenantId = tenantId, Key = key, StatusCode = statusCode, ContentType = contentType, Body = body }, transaction, cancellationToken: ct)).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public Task AbandonAsync(string tenantId, string key, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE tenant_id = @TenantId AND key = @Key AND completed_at IS NULL",
            new { TenantId = tenantId, Key = key }, transaction, cancellationToken: ct)).ConfigureAwait(false), cancellationToken);
}
