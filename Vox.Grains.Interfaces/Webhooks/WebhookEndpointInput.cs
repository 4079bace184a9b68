namespace Vox.Grains.Webhooks;

/// <summary>Fields of a new webhook endpoint.</summary>
public sealed record WebhookEndpointInput
{
    /// <summary>Absolute http or https URL that receives the events.</summary>
    public required string Url { get; init; }

    /// <summary>Event types to receive (e.g. <c>call.completed</c>), or <c>["*"]</c> for all.</summary>
    public required IReadOnlyList<string> EventTypes { get; init; }

    /// <summary>Operator's note, at most 500 characters.</summary>
    public string? Description { get; init; }

    /// <summary>Whether events are sent to it; true unless set.</summary>
    public bool Enabled { get; init; } = true;
}
