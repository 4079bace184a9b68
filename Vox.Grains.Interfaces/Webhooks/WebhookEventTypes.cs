namespace Vox.Grains.Webhooks;

/// <summary>The event types Vox sends to webhook endpoints, and the wildcard that subscribes to all of them.</summary>
public static class WebhookEventTypes
{
    /// <summary>A call was created (queued).</summary>
    public const string CallStarted = "call.started";

    /// <summary>A call ended without a post-call result (refused, failed to connect, worker lost, reservation expired).</summary>
    public const string CallEnded = "call.ended";

    /// <summary>A call ended with its post-call result: transcript, metrics, recording, analysis.</summary>
    public const string CallCompleted = "call.completed";

    /// <summary>Subscribes an endpoint to every event type, including ones added later.</summary>
    public const string All = "*";

    /// <summary>Every value an endpoint's filter may hold.</summary>
    public static IReadOnlyList<string> Known { get; } = [CallStarted, CallEnded, CallCompleted, All];

    /// <summary>True when <paramref name="type"/> is one of <see cref="Known"/>.</summary>
    public static bool IsKnown(string? type) => type is not null && Known.Contains(type, StringComparer.Ordinal);

    /// <summary>True when a filter of <paramref name="filter"/> takes events of <paramref name="type"/>.</summary>
    public static bool Matches(IEnumerable<string> filter, string type) =>
        filter.Any(f => f == All || string.Equals(f, type, StringComparison.Ordinal));
}
