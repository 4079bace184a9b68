using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.MediaWorker.Pipeline;
using Vox.MediaWorker.Pipeline.Frames;

namespace Vox.MediaWorker.Tests.Pipeline;

public sealed class FrameProcessorTests
{
    /// <summary>Holds every sentence until the test releases it (or an interruption cancels it).</summary>
    private sealed class BlockingProcessor() : FrameProcessor("blocking", NullLogger.Instance)
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken)
        {
            if (frame is SpeakFrame)
            {
                Started.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
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
        var blocking = new BlockingProcessor();
        var pipeline = new CallPipeline([new PassThrough(), blocking], (f, _) => { seen.Enqueue(f); return ValueTask.CompletedTask; });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var run = pipeline.RunAsync(cts.Token);
        for (var i = 0; i < 10; i++)
        {
            await pipeline.PushAsync(new SpeakFrame(1, $"s{i}"), cts.Token);
        }

        await pipeline.PushAsync(new EndFrame("done"), cts.Token);
        await blocking.Started.Task.WaitAsync(cts.Token);
        await WaitUntilAsync(() => true);
        await pipeline.PushAsync(new InterruptionFrame(TimeSpan.FromSeconds(1)), cts.Token);
        await WaitUntilAsync(() => seen.Any(f => f is EndFrame));
        blocking.Release.TrySetResult();

        // The sentence in progress was cancelled, the nine queued ones dropped, and the end of the call kept, after the interruption.
        Assert.Equal([typeof(InterruptionFrame), typeof(EndFrame)], seen.Select(f => f.GetType()));
        await cts.CancelAsync();
        await Quietly(run);
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
