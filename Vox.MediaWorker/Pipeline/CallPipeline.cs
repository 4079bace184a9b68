using Vox.MediaWorker.Pipeline.Frames;

namespace Vox.MediaWorker.Pipeline;

/// <summary>A list of processors joined in order; frames enter at the head and leave at either edge.</summary>
public sealed class CallPipeline
{
    private readonly IReadOnlyList<FrameProcessor> _processors;

    /// <summary>Joins <paramref name="processors"/>; <paramref name="downstreamEdge"/> and <paramref name="upstreamEdge"/> receive what leaves the ends.</summary>
    public CallPipeline(IReadOnlyList<FrameProcessor> processors,
        Func<Frame, CancellationToken, ValueTask>? downstreamEdge = null,
        Func<Frame, CancellationToken, ValueTask>? upstreamEdge = null)
    {
        if (processors.Count == 0)
        {
            throw new ArgumentException("A pipeline needs at least one processor.", nameof(processors));
        }

        _processors = processors;
        for (var i = 0; i < processors.Count; i++)
        {
            var previous = i > 0 ? processors[i - 1] : null;
            var next = i < processors.Count - 1 ? processors[i + 1] : null;
            processors[i].Link(previous, next, (frame, direction, ct) => direction == FrameDirection.Downstream
                ? downstreamEdge?.Invoke(frame, ct) ?? ValueTask.CompletedTask
                : upstreamEdge?.Invoke(frame, ct) ?? ValueTask.CompletedTask);
        }
    }

    /// <summary>
    /// A call's conversation in the order the worker runs it: listening (VAD and STT, left out in tests that feed turns
    /// directly), keypad actions ahead of the responder (so a digit's interruption also stops a reply the model is still
    /// streaming), then the responder, the sentence splitter, TTS and the output.
    /// </summary>
    public static CallPipeline ForCall(
        Processors.VadProcessor? vad, Processors.SttProcessor? stt, Processors.DtmfProcessor dtmf, Processors.ResponderProcessor responder,
        Processors.SentenceSplitter splitter, Processors.TtsProcessor tts, Processors.OutputProcessor output, Func<Frame, CancellationToken, ValueTask>? downstreamEdge = null)
    {
        FrameProcessor?[] all = [vad, stt, dtmf, responder, splitter, tts, output];
        return new CallPipeline(all.OfType<FrameProcessor>().ToList(), downstreamEdge);
    }

    /// <summary>The processors in order.</summary>
    public IReadOnlyList<FrameProcessor> Processors => _processors;

    /// <summary>Queues a frame at the head, travelling downstream.</summary>
    public ValueTask PushAsync(Frame frame, CancellationToken cancellationToken) =>
        _processors[0].QueueFrameAsync(frame, FrameDirection.Downstream, cancellationToken);

    /// <summary>Runs every processor until the call token is cancelled or a cancel frame passes them all.</summary>
    public Task RunAsync(CancellationToken callToken) => Task.WhenAll(_processors.Select(p => p.RunAsync(callToken)));
}
