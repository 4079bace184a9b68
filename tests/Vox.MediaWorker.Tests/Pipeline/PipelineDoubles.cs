using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Providers.Tts;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Tests.Pipeline;

/// <summary>An STT double: each finalize yields the next scripted utterance (the audio itself is not recognised).</summary>
internal sealed class ScriptedStt(params string[] utterances) : ISpeechToText, ISpeechToTextSession
{
    private readonly Queue<string> _script = new(utterances);
    private readonly Channel<TranscriptEvent> _events = Channel.CreateUnbounded<TranscriptEvent>();

    public string Name => "scripted";

    public int SamplesReceived;

    public Task<ISpeechToTextSession> StartAsync(SpeechToTextRequest request, CancellationToken cancellationToken) => Task.FromResult<ISpeechToTextSession>(this);

    public ValueTask SendAudioAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref SamplesReceived, samples.Length);
        return ValueTask.CompletedTask;
    }

    public ValueTask FinalizeAsync(CancellationToken cancellationToken)
    {
        var text = _script.Count > 0 ? _script.Dequeue() : "";
        _events.Writer.TryWrite(new TranscriptEvent(text, true, true, TimeSpan.Zero, TimeSpan.Zero));
        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<TranscriptEvent> ReadEventsAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A TTS double: 80 ms of a 440 Hz tone per word, one chunk per word carrying that word.</summary>
internal sealed class ToneTts : ITextToSpeech
{
    public string Name => "tone";

    public async IAsyncEnumerable<SpeechAudioChunk> SynthesizeAsync(string text, TextToSpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            var samples = new short[request.SampleRate * 80 / 1000];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / request.SampleRate));
            }

            yield return new SpeechAudioChunk(samples, request.SampleRate, word);
        }
    }
}

/// <summary>Collects what the output sends.</summary>
internal sealed class RecordingTransport : IOutputTransport
{
    public ConcurrentQueue<(TimeSpan At, int Samples)> Frames { get; } = new();

    public ConcurrentQueue<TransportEvent> Events { get; } = new();

    public int Clears;

    public Func<TimeSpan>? Clock { get; set; }

    public ValueTask SendAudioAsync(ReadOnlyMemory<short> frame, CancellationToken cancellationToken)
    {
        Frames.Enqueue((Clock?.Invoke() ?? TimeSpan.Zero, frame.Length));
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Clears);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendEventAsync(TransportEvent transportEvent, CancellationToken cancellationToken)
    {
        Events.Enqueue(transportEvent);
        return ValueTask.CompletedTask;
    }
}
