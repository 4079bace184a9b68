namespace Vox.Grains.Webhooks;

/// <summary>Changes to a webhook endpoint: a field left out (or null) keeps its value; an empty description removes it.</summary>
public sealed record WebhookEndpointPatch
{
    /// <summary>New URL.</summary>
    public string? Url { get; init; }

    /// <summary>New event-type filter.</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>New description; <c>""</c> removes it.</summary>
    public string? Description { get; init; }

    /// <summary>Pause (false) or resume (true) deliveries.</summary>
    public bool? Enabled { get; init; }

    /// <summary>True when the patch changes nothing.</summary>
    public bool IsEmpty() => Url is null && EventTypes is null && Description is null && Enabled is null;
}
