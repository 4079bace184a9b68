using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.MediaWorker.Pipeline;
using Vox.MediaWorker.Pipeline.Frames;

namespace Vox.MediaWorker.Tests.Pipeline;

public sealed class FrameProcessorTests
{
    private sealed class SlowProcessor(int delayMs) : FrameProcessor("slow", NullLogger.Instance)
    {
        public int Processed;

        protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken)
        {
            if (frame is SpeakFrame)
            {
                await Task.Delay(delayMs, cancellationToken);
                Interlocked.Increment(ref Processed);
            }

            await PushFrameAsync(frame, direction, cancellationToken);
        }
    }

    private sealed class PassThrough() : FrameProcessor("pass", NullLogger.Instance);

    [Fact]
    public async Task Data_frames_pass_through_in_order()
    {
        var seen = new ConcurrentQueue<Frame>();
        var pipeline = new CallPipeline([new PassThrough(), new PassThrough()], (f, _) => { seen.Enqueue(f); return ValueTask.CompletedTask; });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var run = pipeline.RunAsync(cts.Token);
        for (var i = 0; i < 50; i++)
        {
            await pipeline.PushAsync(new SpeakFrame(i, $"s{i}"), cts.Token);
        }

        await WaitUntilAsync(() => seen.Count == 50);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"s{i}"), seen.OfType<SpeakFrame>().Select(f => f.Text));
        await cts.CancelAsync();
        await Quietly(run);
    }

    [Fact]
    public async Task Interruption_overtakes_queued_data_drops_it_and_keeps_control_frames()
    {
        var seen = new ConcurrentQueue<Frame>();
        var slow = new SlowProcessor(100);
        var pipeline = new CallPipeline([new PassThrough(), slow], (f, _) => { seen.Enqueue(f); return ValueTask.CompletedTask; });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var run = pipeline.RunAsync(cts.Token);
        for (var i = 0; i < 10; i++)
        {
            await pipeline.PushAsync(new SpeakFrame(1, $"s{i}"), cts.Token);
        }

        await pipeline.PushAsync(new EndFrame("done"), cts.Token);
        await Task.Delay(150);
        await pipeline.PushAsync(new InterruptionFrame(TimeSpan.FromSeconds(1)), cts.Token);
        await WaitUntilAsync(() => seen.Any(f => f is EndFrame));

        var order = seen.ToList();
        var interruptionAt = order.FindIndex(f => f is InterruptionFrame);
        Assert.True(interruptionAt >= 0, "the interruption reached the end");
        Assert.True(order.OfType<SpeakFrame>().Count() <= 2, $"{order.OfType<SpeakFrame>().Count()} sentences got through; the queued ones should have been dropped");
        Assert.IsType<EndFrame>(order[^1]);
    }

    [Fact]
    public async Task Cancel_frame_stops_every_processor()
    {
        var pipeline = new CallPipeline([new PassThrough(), new PassThrough()]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var run = pipeline.RunAsync(cts.Token);
        await pipeline.PushAsync(new CancelFrame("test"), cts.Token);
        var finished = await Task.WhenAny(run, Task.Delay(5000));
        Assert.Same(run, finished);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), "condition not reached in 5 s");
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
