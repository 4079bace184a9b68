using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Tests.Audio;

public sealed class AudioPacerTests
{
    private static readonly TimeSpan Completion = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task WaitForNextFrameAsync_first_frame_is_released_at_once()
    {
        var time = new FakeTimeProvider();
        var pacer = new AudioPacer(time);

        ValueTask<TimeSpan> wait = pacer.WaitForNextFrameAsync(CancellationToken.None);

        Assert.True(wait.IsCompleted);
        Assert.Equal(TimeSpan.Zero, await wait);
        Assert.Equal(1, pacer.FramesReleased);
    }

    [Fact]
    public async Task WaitForNextFrameAsync_second_frame_waits_exactly_20ms()
    {
        var time = new FakeTimeProvider();
        var pacer = new AudioPacer(time);
        await pacer.WaitForNextFrameAsync(CancellationToken.None);

        Task<TimeSpan> wait = pacer.WaitForNextFrameAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(19.9));
        Assert.False(wait.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(0.1));

        Assert.Equal(TimeSpan.Zero, await wait.WaitAsync(Completion));
        Assert.Equal(2, pacer.FramesReleased);
    }

    [Fact]
    public async Task WaitForNextFrameAsync_work_between_frames_does_not_accumulate_drift()
    {
        var time = new FakeTimeProvider();
        var pacer = new AudioPacer(time);
        var releases = new List<TimeSpan>();

        for (int frame = 0; frame < 100; frame++)
        {
            Task<TimeSpan> wait = pacer.WaitForNextFrameAsync(CancellationToken.None).AsTask();
            int guard = 0;
            while (!wait.IsCompleted)
            {
                time.Advance(TimeSpan.FromMilliseconds(1));
                await Task.Yield();
                Assert.True(++guard < 100, $"frame {frame} stuck at {time.Elapsed.TotalMilliseconds} ms, timers {time.ActiveTimers}");
            }

            await wait.WaitAsync(Completion);
            releases.Add(time.Elapsed);

            // Encoding and sending take 7 ms, with an uneven extra half millisecond every third frame.
            time.Advance(TimeSpan.FromMilliseconds(frame % 3 == 0 ? 7.5 : 7));
        }

        // Timers resolve whole milliseconds, so a release may trail its due time by under 1 ms, but that never adds up.
        for (int frame = 0; frame < releases.Count; frame++)
        {
            Assert.InRange(releases[frame], Frame * frame, Frame * frame + TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public async Task WaitForNextFrameAsync_after_a_stall_releases_overdue_frames_at_once_then_resumes_schedule()
    {
        var time = new FakeTimeProvider();
        var pacer = new AudioPacer(time);
        await pacer.WaitForNextFrameAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(70));

        Assert.Equal(TimeSpan.FromMilliseconds(50), await pacer.WaitForNextFrameAsync(CancellationToken.None));
        Assert.Equal(TimeSpan.FromMilliseconds(30), await pacer.WaitForNextFrameAsync(CancellationToken.None));
        Assert.Equal(TimeSpan.FromMilliseconds(10), await pacer.WaitForNextFrameAsync(CancellationToken.None));
        Task<TimeSpan> onSchedule = pacer.WaitForNextFrameAsync(CancellationToken.None).AsTask();
        Assert.False(onSchedule.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(TimeSpan.Zero, await onSchedule.WaitAsync(Completion));
    }

    [Fact]
    public async Task WaitForNextFrameAsync_while_waiting_sleeps_on_one_timer_instead_of_spinning()
    {
        var time = new FakeTimeProvider();
        var pacer = new AudioPacer(time);
        await pacer.WaitForNextFrameAsync(CancellationToken.None);

        Task<TimeSpan> wait = pacer.WaitForNextFrameAsync(CancellationToken.None).AsTask();
        int reads = time.TimestampReads;
        await Task.Delay(TimeSpan.FromMilliseconds(50));

        Assert.False(wait.IsCompleted);
        Assert.Equal(reads, time.TimestampReads);
        Assert.Equal(1, time.ActiveTimers);
        time.Advance(Frame);
        await wait.WaitAsync(Completion);
    }

    [Fact]
    public async Task WaitForNextFrameAsync_sub_millisecond_remainder_sleeps_instead_of_spinning()
    {
        var time = new FakeTimeProvider();
        var pacer = new AudioPacer(time);
        await pacer.WaitForNextFrameAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(19.5));

        // Timers resolve whole milliseconds, so the 0.5 ms left is slept as 1 ms rather than spun through. The call is
        // started on the pool: a spinning implementation would never return from it, failing the test on time-out.
        Task<Task<TimeSpan>> call = Task.Factory.StartNew(
            () => pacer.WaitForNextFrameAsync(CancellationToken.None).AsTask(), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
        Task<TimeSpan> wait = await call.WaitAsync(Completion);

        Assert.False(wait.IsCompleted);
        Assert.Equal(1, time.ActiveTimers);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(0.5), await wait.WaitAsync(Completion));
    }

    [Fact]
    public async Task WaitForNextFrameAsync_cancelled_while_waiting_throws_and_releases_nothing()
    {
        var time = new FakeTimeProvider();
        var pacer = new AudioPacer(time);
        await pacer.WaitForNextFrameAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        Task<TimeSpan> wait = pacer.WaitForNextFrameAsync(cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Completion));
        Assert.Equal(1, pacer.FramesReleased);
        Assert.Equal(0, time.ActiveTimers);
    }

    [Fact]
    public async Task WaitForNextFrameAsync_already_cancelled_token_throws()
    {
        var pacer = new AudioPacer(new FakeTimeProvider());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pacer.WaitForNextFrameAsync(new CancellationToken(canceled: true)));
        Assert.Equal(0, pacer.FramesReleased);
    }

    [Fact]
    public async Task Restart_starts_a_new_schedule_from_now()
    {
        var time = new FakeTimeProvider();
        var pacer = new AudioPacer(time);
        await pacer.WaitForNextFrameAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3));

        pacer.Restart();

        Assert.Equal(TimeSpan.Zero, await pacer.WaitForNextFrameAsync(CancellationToken.None));
        Task<TimeSpan> next = pacer.WaitForNextFrameAsync(CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);
        time.Advance(Frame);
        Assert.Equal(TimeSpan.Zero, await next.WaitAsync(Completion));
    }

    [Fact]
    public async Task WaitForNextFrameAsync_custom_frame_duration_is_honoured()
    {
        var time = new FakeTimeProvider();
        var pacer = new AudioPacer(time, TimeSpan.FromMilliseconds(10));
        await pacer.WaitForNextFrameAsync(CancellationToken.None);

        Task<TimeSpan> wait = pacer.WaitForNextFrameAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(10));

        await wait.WaitAsync(Completion);
        Assert.Equal(TimeSpan.FromMilliseconds(10), pacer.FrameDuration);
    }

    [Fact]
    public async Task WaitForNextFrameAsync_real_clock_never_releases_a_frame_early()
    {
        var pacer = new AudioPacer(TimeProvider.System);
        long start = TimeProvider.System.GetTimestamp();

        for (int frame = 0; frame < 6; frame++)
        {
            await pacer.WaitForNextFrameAsync(CancellationToken.None);
        }

        // Frame 5 is due at 100 ms and must not leave earlier; the upper bound only guards against a stuck timer,
        // since a machine shared with other builds can delay any wake-up.
        TimeSpan elapsed = TimeProvider.System.GetElapsedTime(start);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
    }
}
