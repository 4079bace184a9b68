namespace Vox.MediaWorker.Audio;

/// <summary>
/// Releases audio frames on a real-time schedule: frame n is due at start + n x frame duration, so time spent
/// between waits (encoding, sending, GC pauses) never accumulates as drift.
/// </summary>
/// <remarks>
/// The schedule starts at the first <see cref="WaitForNextFrameAsync"/>, whose frame is due at once. Waiting uses a
/// timer from the injected <see cref="TimeProvider"/> (millisecond resolution), never a spin. A caller that falls
/// behind gets the overdue frames back to back until it has caught up; when that burst would be too long for the
/// far end's jitter buffer, it can <see cref="Restart"/> the schedule instead. Not thread-safe: one pacer per
/// outbound stream.
/// </remarks>
public sealed class AudioPacer
{
    private readonly TimeProvider _timeProvider;
    private long _startTimestamp;
    private long _frameIndex;
    private bool _started;

    /// <summary>Creates a pacer for 20 ms frames.</summary>
    public AudioPacer(TimeProvider timeProvider)
        : this(timeProvider, AudioFormat.FrameDuration)
    {
    }

    /// <summary>Creates a pacer for frames of <paramref name="frameDuration"/>.</summary>
    public AudioPacer(TimeProvider timeProvider, TimeSpan frameDuration)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(frameDuration, TimeSpan.Zero);
        _timeProvider = timeProvider;
        FrameDuration = frameDuration;
    }

    /// <summary>Length of one frame on the schedule.</summary>
    public TimeSpan FrameDuration { get; }

    /// <summary>Frames released since the schedule started.</summary>
    public long FramesReleased => _frameIndex;

    /// <summary>
    /// Waits until the next frame is due, then counts it as released. Returns how late the release is against the
    /// schedule (zero when on time), so callers can notice a stall.
    /// </summary>
    public async ValueTask<TimeSpan> WaitForNextFrameAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_started)
        {
            _startTimestamp = _timeProvider.GetTimestamp();
            _started = true;
        }

        // Multiplying rather than adding per frame keeps the due time exact however many frames have passed.
        TimeSpan due = TimeSpan.FromTicks(FrameDuration.Ticks * _frameIndex);
        TimeSpan remaining = due - _timeProvider.GetElapsedTime(_startTimestamp);

        // Task.Delay truncates to whole milliseconds, so a sub-millisecond remainder would become a zero delay and
        // the loop a spin; rounding up instead means a frame can leave up to 1 ms late but never early. The loop
        // re-checks because a timer may still wake slightly early on some platforms.
        while (remaining > TimeSpan.Zero)
        {
            TimeSpan delay = TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds));
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            remaining = due - _timeProvider.GetElapsedTime(_startTimestamp);
        }

        _frameIndex++;
        return remaining.Negate();
    }

    /// <summary>Starts a fresh schedule at the next wait, e.g. after an interruption or when the caller has fallen far behind.</summary>
    public void Restart()
    {
        _started = false;
        _frameIndex = 0;
    }
}
