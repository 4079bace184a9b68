using Vox.Grains.Webhooks;

namespace Vox.Gateway.Api.Contracts;

/// <summary>One event's delivery to one endpoint and its latest attempt.</summary>
public sealed record WebhookDeliveryResponse(
    string Id,
    string WebhookId,
    string EventId,
    string EventType,
    WebhookDeliveryStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? DeliveredAt)
{
    internal static WebhookDeliveryResponse From(WebhookDelivery d) =>
        new(d.Id, d.EndpointId, d.EventId, d.EventType, d.Status, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.LastAttemptAt,
            d.LastStatusCode, d.LastError, d.DeliveredAt);
}
