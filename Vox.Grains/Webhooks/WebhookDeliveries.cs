using System.Text;
using Dapper;
using Vox.Grains.Store;

namespace Vox.Grains.Webhooks;

/// <summary>Deliveries and dead letters of a tenant's webhook endpoints, and redelivery of dead ones.</summary>
public sealed class WebhookDeliveries(IGrainStore store) : IWebhookDeliveries
{
    /// <inheritdoc />
    public Task<Page<WebhookDelivery>> ListAsync(string tenantId, string? endpointId, WebhookDeliveryStatus? status, int limit, string? cursor, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) =>
        {
            var after = Cursor.Decode(cursor);
            var p = new DynamicParameters(new { TenantId = tenantId, Take = limit + 1 });
            var sql = new StringBuilder(WebhookDeliveryRow.Select).Append(" WHERE d.tenant_id = @TenantId");
            if (endpointId is not null)
            {
                var owned = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM webhook_endpoints WHERE id = @Id AND tenant_id = @TenantId",
                    new { Id = endpointId, TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false);
                if (owned == 0)
                {
                    throw new NotFoundException("webhook", endpointId);
                }

                sql.Append(" AND d.endpoint_id = @EndpointId");
                p.Add("EndpointId", endpointId);
            }

            if (status is { } s)
            {
                sql.Append(" AND d.status = @Status");
                p.Add("Status", WebhookDeliveryRow.StatusName(s));
            }

            if (after is { } a)
            {
                sql.Append(" AND (d.created_at < @CursorAt OR (d.created_at = @CursorAt AND d.id < @CursorId))");
                p.Add("CursorAt", a.CreatedAt);
                p.Add("CursorId", a.Id);
            }

            sql.Append(" ORDER BY d.created_at DESC, d.id DESC LIMIT @Take");
            var rows = (await connection.QueryAsync<WebhookDeliveryRow>(new CommandDefinition(sql.ToString(), p, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            return Cursor.ToPage(rows, limit, r => (r.CreatedAt, r.Id), r => r.ToDelivery());
        }, cancellationToken);

    /// <inheritdoc />
    public Task<WebhookDelivery> GetAsync(string tenantId, string deliveryId, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) => (await connection.QuerySingleOrDefaultAsync<WebhookDeliveryRow>(new CommandDefinition(
            WebhookDeliveryRow.Select + " WHERE d.id = @Id AND d.tenant_id = @TenantId", new { Id = deliveryId, TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false))?.ToDelivery()
            ?? throw new NotFoundException("webhook delivery", deliveryId), cancellationToken);

    /// <inheritdoc />
    public Task<WebhookDelivery> RedeliverAsync(string tenantId, string deliveryId, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            // A fresh budget: attempts and age count again from now; the event (and its id) stays the same.
            await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
                UPDATE webhook_deliveries SET status = 'pending', attempts = 0, queued_at = {now}, next_attempt_at = {now},
                    claim_token = NULL, claim_expires_at = NULL
                WHERE id = @Id AND tenant_id = @TenantId AND status = 'dead'
                """), new { Id = deliveryId, TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            var row = await connection.QuerySingleOrDefaultAsync<WebhookDeliveryRow>(new CommandDefinition(
                WebhookDeliveryRow.Select + " WHERE d.id = @Id AND d.tenant_id = @TenantId", new { Id = deliveryId, TenantId = tenantId },
                transaction, cancellationToken: ct)).ConfigureAwait(false) ?? throw new NotFoundException("webhook delivery", deliveryId);
            return row.Status == "delivered"
                ? throw new ConflictException("already_delivered", $"Delivery '{deliveryId}' was acknowledged by the endpoint; it is never sent twice.")
                : row.ToDelivery();
        }, cancellationToken);
}
