namespace Vox.Grains.Webhooks;

/// <summary>Where one event's delivery to one endpoint stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (or being sent now).</summary>
    Pending,
    /// <summary>The endpoint answered 2xx; it is never sent again.</summary>
    Delivered,
    /// <summary>Retries ran out (attempts or age); kept in the dead-letter list until redelivered.</summary>
    Dead,
}
