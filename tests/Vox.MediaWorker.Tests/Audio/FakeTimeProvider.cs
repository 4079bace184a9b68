namespace Vox.MediaWorker.Tests.Audio;

/// <summary>
/// A manual clock: time moves only through <see cref="Advance"/>, which fires due timers in order at their exact
/// due instant. Counts timestamp reads and live timers so tests can prove a waiter sleeps instead of spinning.
/// </summary>
internal sealed class FakeTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private readonly DateTimeOffset _epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _now;
    private int _timestampReads;

    /// <summary>Time since the provider was created.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _now));

    /// <summary>How often <see cref="GetTimestamp"/> has been called.</summary>
    public int TimestampReads => Volatile.Read(ref _timestampReads);

    /// <summary>Timers created and neither fired (one-shot) nor disposed.</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        Interlocked.Increment(ref _timestampReads);
        return Interlocked.Read(ref _now);
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _epoch + Elapsed;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward, firing each timer that falls due on the way at its due instant.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        long target = Interlocked.Read(ref _now) + by.Ticks;
        while (true)
        {
            FakeTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.DueAt <= target).MinBy(t => t.DueAt);
                if (next is null)
                {
                    break;
                }

                Interlocked.Exchange(ref _now, Math.Max(_now, next.DueAt));
                if (next.Period > 0)
                {
                    next.DueAt += next.Period;
                }
                else
                {
                    _timers.Remove(next);
                }
            }

            next.Fire();
        }

        Interlocked.Exchange(ref _now, target);
    }

    private void Schedule(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.DueAt = _now + dueTime.Ticks;
            timer.Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            _timers.Add(timer);
        }
    }

    private void Remove(FakeTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueAt { get; set; }

        public long Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
