using Vox.Grains.Webhooks;

namespace Vox.Gateway.Api.Contracts;

/// <summary>A webhook endpoint just created: <see cref="Secret"/> signs its events (Vox-Signature) and is shown this once.</summary>
public sealed record WebhookCreatedResponse(
    string Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Secret)
{
    internal static WebhookCreatedResponse From(CreatedWebhookEndpoint created) =>
        new(created.Endpoint.Id, created.Endpoint.Url, created.Endpoint.EventTypes, created.Endpoint.Enabled, created.Endpoint.Description,
            created.Endpoint.CreatedAt, created.Endpoint.UpdatedAt, created.Secret);
}
