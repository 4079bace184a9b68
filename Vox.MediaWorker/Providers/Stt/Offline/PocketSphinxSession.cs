using System.Buffers;
using System.Threading.Channels;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Native;

namespace Vox.MediaWorker.Providers.Stt.Offline;

/// <summary>
/// One call's pocketsphinx recognition. Audio is copied into a queue and decoded by a background task, the only code
/// that touches the decoder, so the caller's real-time path never waits for recognition: on a busy host the decoder
/// falls behind the caller and catches up later, and finals come late rather than not at all.
/// </summary>
/// <remarks>
/// Audio at another rate than the model's 16 kHz is resampled first (for 8 kHz calls this recognised better than
/// configuring the front end for 8 kHz). Interim transcripts are emitted at most every
/// <see cref="PocketSphinxOptions.InterimInterval"/>, when the hypothesis changed; <see cref="FinalizeAsync"/> closes
/// the utterance (once the audio queued before it is decoded), emits its final transcript (with an empty text if nothing
/// was recognised) and opens the next one. Times count from the start of the session's audio.
/// </remarks>
internal sealed class PocketSphinxSession : ISpeechToTextSession
{
    private readonly CancellationTokenSource _closing = new();
    private PocketSphinxDecoder? _decoder;
    private readonly PocketSphinxOptions _options;
    private readonly TimeProvider _time;
    private readonly int _sampleRate;
    private readonly Resampler? _resampler;
    private readonly SpeechLevelNormalizer? _normalizer;
    private readonly Channel<PocketSphinxCommand> _commands =
        Channel.CreateUnbounded<PocketSphinxCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<TranscriptEvent> _events =
        Channel.CreateUnbounded<TranscriptEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Task _processing;
    private short[] _normalized = [];
    private short[] _converted = [];
    private readonly double _noiseAmplitude;
    private uint _noiseState = 2463534242;
    private long _samplesDecoded;
    private long _utteranceStart;
    private string _lastInterim = "";
    private long _lastInterimCheck;
    private Exception? _failure;
    private int _disposed;

    private PocketSphinxSession(
        PocketSphinxDecoderPool pool, PocketSphinxOptions options, TimeProvider time, SpeechToTextRequest request, Resampler? resampler)
    {
        _options = options;
        _time = time;
        _sampleRate = request.SampleRate;
        _resampler = resampler;
        _normalizer = options.TargetSpeechLevelDbfs is { } target ? new SpeechLevelNormalizer(request.SampleRate, target) : null;
        // Uniform noise in [-a, a] has an RMS of a / sqrt(3).
        _noiseAmplitude = options.NoiseFloorDbfs is { } floor ? Math.Pow(10, floor / 20) * 32768 * Math.Sqrt(3) : 0;
        _lastInterimCheck = time.GetTimestamp();
        _processing = Task.Run(() => ProcessAsync(pool, request));
    }

    /// <summary>
    /// Opens a session at once: audio sent before its decoder is ready (taken from <paramref name="pool"/>, or loaded
    /// when none is warm) waits in the queue, so a call's greeting never waits for the model.
    /// </summary>
    public static Task<PocketSphinxSession> StartAsync(
        PocketSphinxDecoderPool pool, PocketSphinxOptions options, TimeProvider time, SpeechToTextRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.SampleRate, nameof(request));
        cancellationToken.ThrowIfCancellationRequested();
        Resampler? resampler = request.SampleRate == PocketSphinxDecoder.SampleRate ? null : new Resampler(request.SampleRate, PocketSphinxDecoder.SampleRate);
        return Task.FromResult(new PocketSphinxSession(pool, options, time, request, resampler));
    }

    /// <inheritdoc />
    /// <remarks>Decoding costs about as much in silence as in speech, so the caller's silence between turns is left out.</remarks>
    public bool SpeechOnly => true;

    /// <inheritdoc />
    public ValueTask SendAudioAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (samples.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        short[] buffer = ArrayPool<short>.Shared.Rent(samples.Length);
        samples.Span.CopyTo(buffer);
        if (!_commands.Writer.TryWrite(new PocketSphinxCommand(buffer, samples.Length)))
        {
            ArrayPool<short>.Shared.Return(buffer);
            throw Closed();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Queues the request behind the audio sent before it and returns: the final transcript follows in the event stream
    /// once that audio is decoded, which on a busy host can be well after the caller stopped.
    /// </remarks>
    public ValueTask FinalizeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_commands.Writer.TryWrite(new PocketSphinxCommand(null, 0)))
        {
            throw Closed();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<TranscriptEvent> ReadEventsAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Audio and finalise requests still queued are dropped, not decoded (their transcript has no reader any more: on a
    /// host where the decoder fell behind, decoding them would hold the worker's call slot for as long again); the open
    /// utterance is dropped without a final transcript.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _commands.Writer.TryComplete();
        await _closing.CancelAsync().ConfigureAwait(false);
        await _processing.ConfigureAwait(false);
        if (_decoder is not null)
        {
            _decoder.Dispose();
            // A decoder is tens of megabytes of native heap: hand the freed pages back, so an idle worker stays small.
            LibC.TrimHeap();
        }

        _closing.Dispose();
    }

    private Exception Closed() => _failure is { } failure
        ? new InvalidOperationException("The pocketsphinx session failed; see the inner exception.", failure)
        : new ObjectDisposedException(nameof(PocketSphinxSession));

    private async Task ProcessAsync(PocketSphinxDecoderPool pool, SpeechToTextRequest request)
    {
        try
        {
            try
            {
                _decoder = await pool.RentAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                // Disposed before a decoder was ready: nothing was decoded and nothing is owed.
                _events.Writer.TryComplete();
                return;
            }

            if (request.Keywords is { Count: > 0 } hints && _options.HintWeight > 0)
            {
                _decoder.UseHints(hints, _options.HintWeight);
            }

            _decoder.StartStream();
            _decoder.StartUtterance();

            await foreach (PocketSphinxCommand command in _commands.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (_closing.IsCancellationRequested)
                {
                    // Disposed: what is still queued is dropped (see DisposeAsync).
                    ReturnAudio(command);
                    continue;
                }

                if (command.Audio is { } audio)
                {
                    Decode(audio.AsSpan(0, command.Length));
                    ArrayPool<short>.Shared.Return(audio);
                }
                else
                {
                    EndUtterance(speechFinal: true);
                }
            }

            _events.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            // The decoder is in an unknown state: fail the session and its readers.
            _failure = ex;
            _commands.Writer.TryComplete();
            _events.Writer.TryComplete(ex);
            while (_commands.Reader.TryRead(out PocketSphinxCommand pending))
            {
                ReturnAudio(pending);
            }
        }
    }

    private static void ReturnAudio(PocketSphinxCommand command)
    {
        if (command.Audio is { } audio)
        {
            ArrayPool<short>.Shared.Return(audio);
        }
    }

    // samples is this session's own copy of the audio, so the noise may be added in place.
    private void Decode(Span<short> samples)
    {
        Span<short> model = samples;
        if (_normalizer is not null)
        {
            EnsureLength(ref _normalized, samples.Length + _normalizer.Pending);
            model = _normalized.AsSpan(0, _normalizer.Process(model, _normalized));
        }

        if (_resampler is not null)
        {
            EnsureLength(ref _converted, _resampler.GetOutputLength(model.Length));
            model = _converted.AsSpan(0, _resampler.Process(model, _converted));
        }

        if (_noiseAmplitude > 0)
        {
            AddNoise(model);
        }

        _decoder!.Process(model);
        _samplesDecoded += samples.Length;
        if (ToTime(_samplesDecoded - _utteranceStart) >= _options.MaxUtterance)
        {
            EndUtterance(speechFinal: false);
            return;
        }

        if (_time.GetElapsedTime(_lastInterimCheck) < _options.InterimInterval)
        {
            return;
        }

        _lastInterimCheck = _time.GetTimestamp();
        string hypothesis = _decoder!.Hypothesis().Trim();
        if (hypothesis.Length == 0 || hypothesis == _lastInterim)
        {
            return;
        }

        _lastInterim = hypothesis;
        (TimeSpan start, TimeSpan end) = WordSpan(_decoder!.Words(out int firstFrame), firstFrame);
        _events.Writer.TryWrite(new TranscriptEvent(hypothesis, IsFinal: false, SpeechFinal: false, start, end));
    }

    private void EndUtterance(bool speechFinal)
    {
        var decoder = _decoder!;
        decoder.EndUtterance();
        string text = decoder.Hypothesis().Trim();
        (TimeSpan start, TimeSpan end) = WordSpan(decoder.Words(out int firstFrame), firstFrame);
        double? confidence = text.Length > 0 ? decoder.Confidence() : null;
        _events.Writer.TryWrite(new TranscriptEvent(text, IsFinal: true, speechFinal, start, end, confidence));

        _utteranceStart = _samplesDecoded;
        _lastInterim = "";
        decoder.StartUtterance();
    }

    // Word frames count from the utterance's first frame (where its <s> starts); the resampler delays what the decoder hears.
    private (TimeSpan Start, TimeSpan End) WordSpan(List<RecognizedWord> words, int firstFrame)
    {
        TimeSpan origin = ToTime(_utteranceStart) - (_resampler?.GroupDelay ?? TimeSpan.Zero);
        if (words.Count == 0)
        {
            return (ToTime(_utteranceStart), ToTime(_samplesDecoded));
        }

        TimeSpan start = origin + FrameTime(words[0].StartFrame - firstFrame);
        TimeSpan end = origin + FrameTime(words[^1].EndFrame + 1 - firstFrame);
        return (start < TimeSpan.Zero ? TimeSpan.Zero : start, end);
    }

    // White noise from a fixed-seed xorshift, so a clip is always recognised the same way.
    private void AddNoise(Span<short> samples)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            _noiseState ^= _noiseState << 13;
            _noiseState ^= _noiseState >> 17;
            _noiseState ^= _noiseState << 5;
            double uniform = ((_noiseState & 0xFFFF) / 32767.5) - 1;
            samples[i] = (short)Math.Clamp(samples[i] + Math.Round(uniform * _noiseAmplitude), short.MinValue, short.MaxValue);
        }
    }

    private static void EnsureLength(ref short[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new short[length];
        }
    }

    private TimeSpan ToTime(long samples) => TimeSpan.FromSeconds((double)samples / _sampleRate);

    private static TimeSpan FrameTime(int frames) => TimeSpan.FromSeconds((double)frames / PocketSphinxNative.FramesPerSecond);
}
