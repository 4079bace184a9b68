namespace Vox.Grains.Webhooks;

/// <summary>The HTTP headers Vox sets on every webhook request.</summary>
public static class WebhookHeaders
{
    /// <summary>The event's id (<c>evt_…</c>): the same on every attempt, so receivers de-duplicate by it.</summary>
    public const string EventId = "Vox-Event-Id";

    /// <summary>The event's type, e.g. <c>call.completed</c>.</summary>
    public const string EventType = "Vox-Event-Type";

    /// <summary><c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c> (see <see cref="WebhookSignature"/>).</summary>
    public const string Signature = "Vox-Signature";

    /// <summary>The delivery's id (<c>whd_…</c>): one per event and endpoint.</summary>
    public const string DeliveryId = "Vox-Delivery-Id";

    /// <summary>Which attempt this is, from 1.</summary>
    public const string Attempt = "Vox-Delivery-Attempt";
}
