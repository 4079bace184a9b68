namespace Vox.Grains.Webhooks;

/// <summary>The retry schedule: exponential from the initial delay, capped, with jitter that only shortens a delay.</summary>
public static class WebhookBackoff
{
    /// <summary>
    /// The delay before the attempt after failed attempt number <paramref name="failedAttempts"/> (from 1):
    /// <c>min(max, initial * 2^(n-1)) * (1 - jitter * unit)</c>, with <paramref name="unit"/> uniform in [0, 1).
    /// </summary>
    public static TimeSpan Delay(int failedAttempts, WebhookOptions options, double unit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var exponent = Math.Min(failedAttempts - 1, 40);
        var full = Math.Min((double)options.MaxBackoffMs, options.InitialBackoffMs * Math.Pow(2, exponent));
        var jittered = full * (1 - (options.JitterRatio * Math.Clamp(unit, 0, 1)));
        return TimeSpan.FromMilliseconds(Math.Max(1, Math.Round(jittered)));
    }
}
