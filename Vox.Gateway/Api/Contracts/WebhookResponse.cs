using Vox.Grains.Webhooks;

namespace Vox.Gateway.Api.Contracts;

/// <summary>A webhook endpoint as listed and fetched: never its signing secret.</summary>
public sealed record WebhookResponse(
    string Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static WebhookResponse From(WebhookEndpoint endpoint) =>
        new(endpoint.Id, endpoint.Url, endpoint.EventTypes, endpoint.Enabled, endpoint.Description, endpoint.CreatedAt, endpoint.UpdatedAt);
}
