using Vox.Grains.Store;
using static Vox.Grains.Store.DbTime;

namespace Vox.Grains.Webhooks;

/// <summary>A row of <c>webhook_deliveries</c> joined with its event's type.</summary>
internal sealed class WebhookDeliveryRow
{
    public const string Select = "SELECT d.*, v.type AS event_type FROM webhook_deliveries d JOIN webhook_events v ON v.id = d.event_id";

    public string Id { get; set; } = "";
    public string EndpointId { get; set; } = "";
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    public string Status { get; set; } = "pending";
    public long Attempts { get; set; }
    public long CreatedAt { get; set; }
    public long? NextAttemptAt { get; set; }
    public long? LastAttemptAt { get; set; }
    public long? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public long? DeliveredAt { get; set; }

    public static string StatusName(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Delivered => "delivered",
        WebhookDeliveryStatus.Dead => "dead",
        _ => "pending",
    };

    public WebhookDelivery ToDelivery() => new(Id, EndpointId, EventId, EventType,
        Status switch { "delivered" => WebhookDeliveryStatus.Delivered, "dead" => WebhookDeliveryStatus.Dead, _ => WebhookDeliveryStatus.Pending },
        (int)Attempts, ToTime(CreatedAt), ToTime(NextAttemptAt), ToTime(LastAttemptAt), (int?)LastStatusCode, LastError, ToTime(DeliveredAt));
}
