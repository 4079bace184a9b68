namespace Vox.Grains.Webhooks;

/// <summary>One event's delivery to one endpoint, with the outcome of its latest attempt.</summary>
/// <param name="Id">The delivery's id, <c>whd_…</c>.</param>
/// <param name="EndpointId">The endpoint it goes to.</param>
/// <param name="EventId">The event (<c>evt_…</c>), the same in every attempt (the <c>Vox-Event-Id</c> header).</param>
/// <param name="EventType">The event's type.</param>
/// <param name="Status">Pending, delivered or dead.</param>
/// <param name="Attempts">Attempts made so far (since the last redelivery).</param>
/// <param name="CreatedAt">When the event was queued for this endpoint.</param>
/// <param name="NextAttemptAt">When a pending delivery is next tried.</param>
/// <param name="LastAttemptAt">When it was last tried.</param>
/// <param name="LastStatusCode">The HTTP status of the last answer, if one came.</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="DeliveredAt">When the endpoint acknowledged it.</param>
public sealed record WebhookDelivery(
    string Id,
    string EndpointId,
    string EventId,
    string EventType,
    WebhookDeliveryStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? DeliveredAt);
