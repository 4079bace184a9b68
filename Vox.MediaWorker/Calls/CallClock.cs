using System.Diagnostics;

namespace Vox.MediaWorker.Calls;

/// <summary>Time since the call started, from an injected <see cref="TimeProvider"/> (exact in tests).</summary>
public sealed class CallClock(TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();

    /// <summary>The provider the clock reads.</summary>
    public TimeProvider Time => time;

    /// <summary>Elapsed call time.</summary>
    public TimeSpan Now => time.GetElapsedTime(_start);

    /// <summary>Milliseconds between two call times.</summary>
    public static double Ms(TimeSpan from, TimeSpan to) => (to - from).TotalMilliseconds;

    /// <summary>A stopwatch-style start mark for measuring a span.</summary>
    public long Mark() => time.GetTimestamp();

    /// <summary>Milliseconds since <paramref name="mark"/>.</summary>
    public double MsSince(long mark) => time.GetElapsedTime(mark).TotalMilliseconds;

    /// <summary>Not a timing source: for logs only.</summary>
    public override string ToString() => Now.ToString("c", System.Globalization.CultureInfo.InvariantCulture) + (Stopwatch.IsHighResolution ? "" : " (low-res)");
}
