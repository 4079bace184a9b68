namespace Vox.Grains.Webhooks;

/// <summary>A tenant's webhook endpoints; another tenant's endpoint is never found.</summary>
public interface IWebhookCatalog
{
    /// <summary>Creates an endpoint with a new signing secret, returned only here.</summary>
    Task<CreatedWebhookEndpoint> CreateAsync(string tenantId, WebhookEndpointInput input, CancellationToken cancellationToken);

    /// <summary>One endpoint, or <see cref="NotFoundException"/>.</summary>
    Task<WebhookEndpoint> GetAsync(string tenantId, string id, CancellationToken cancellationToken);

    /// <summary>The tenant's endpoints, newest first.</summary>
    Task<Page<WebhookEndpoint>> ListAsync(string tenantId, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="patch"/> to an endpoint.</summary>
    Task<WebhookEndpoint> UpdateAsync(string tenantId, string id, WebhookEndpointPatch patch, CancellationToken cancellationToken);

    /// <summary>Removes an endpoint with its deliveries (pending ones are not sent).</summary>
    Task DeleteAsync(string tenantId, string id, CancellationToken cancellationToken);
}
