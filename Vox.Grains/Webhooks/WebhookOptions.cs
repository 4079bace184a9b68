using System.ComponentModel.DataAnnotations;

namespace Vox.Grains.Webhooks;

/// <summary>
/// The <c>Webhooks</c> section: how this silo's dispatcher sends the outbox. A failed attempt is retried after
/// <see cref="InitialBackoffMs"/>, doubling up to <see cref="MaxBackoffMs"/> (each delay shortened by up to
/// <see cref="JitterRatio"/> at random), until <see cref="MaxAttempts"/> or <see cref="MaxAgeMs"/> runs out; then the
/// delivery is dead and listed until someone redelivers it.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Webhooks";

    /// <summary>Whether this silo sends webhooks at all (every silo may; a delivery is only ever sent by one at a time).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for due deliveries.</summary>
    [Range(50, 60_000)]
    public int PollIntervalMs { get; set; } = 1_000;

    /// <summary>Most deliveries claimed in one poll.</summary>
    [Range(1, 1_000)]
    public int MaxPerPoll { get; set; } = 32;

    /// <summary>Most requests this silo has in flight at once.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrentSends { get; set; } = 16;

    /// <summary>How long one request may take (connect, send, response headers) before it counts as failed.</summary>
    [Range(100, 120_000)]
    public int RequestTimeoutMs { get; set; } = 10_000;

    /// <summary>How long a claimed delivery stays this silo's; must exceed a request's timeout, so no other silo sends it meanwhile.</summary>
    [Range(1_000, 3_600_000)]
    public int ClaimTtlMs { get; set; } = 60_000;

    /// <summary>Delay after the first failed attempt.</summary>
    [Range(100, 86_400_000)]
    public int InitialBackoffMs { get; set; } = 10_000;

    /// <summary>Longest delay between attempts.</summary>
    [Range(100, 86_400_000)]
    public int MaxBackoffMs { get; set; } = 600_000;

    /// <summary>Fraction of each delay removed at random, so retries to a recovering endpoint spread out (0 = none).</summary>
    [Range(0.0, 1.0)]
    public double JitterRatio { get; set; } = 0.2;

    /// <summary>Attempts after which a delivery is dead; 0 leaves only <see cref="MaxAgeMs"/>.</summary>
    [Range(0, 100_000)]
    public int MaxAttempts { get; set; }

    /// <summary>Age (from queueing or redelivery) after which a failed delivery is dead rather than retried.</summary>
    [Range(1_000, 2_592_000_000)]
    public long MaxAgeMs { get; set; } = 86_400_000;

    /// <summary>How long events whose deliveries all succeeded are kept before they are pruned.</summary>
    [Range(60_000, 31_536_000_000)]
    public long RetentionMs { get; set; } = 604_800_000;
}
