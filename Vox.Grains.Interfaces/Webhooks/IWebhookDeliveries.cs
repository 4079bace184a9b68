namespace Vox.Grains.Webhooks;

/// <summary>The webhook outbox as a tenant sees it: deliveries per endpoint, the dead-letter list, and redelivery.</summary>
public interface IWebhookDeliveries
{
    /// <summary>The tenant's deliveries, newest first; to one endpoint (404 if not the tenant's) or all, optionally of one status.</summary>
    Task<Page<WebhookDelivery>> ListAsync(string tenantId, string? endpointId, WebhookDeliveryStatus? status, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>One delivery, or <see cref="NotFoundException"/>.</summary>
    Task<WebhookDelivery> GetAsync(string tenantId, string deliveryId, CancellationToken cancellationToken);

    /// <summary>
    /// Queues a dead delivery again with a fresh retry budget (same event id); a pending one is returned unchanged;
    /// a delivered one is a <see cref="ConflictException"/> (<c>already_delivered</c>), as it is never sent twice.
    /// </summary>
    Task<WebhookDelivery> RedeliverAsync(string tenantId, string deliveryId, CancellationToken cancellationToken);
}
