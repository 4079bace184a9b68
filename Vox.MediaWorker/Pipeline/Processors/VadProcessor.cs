using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Vad;

namespace Vox.MediaWorker.Pipeline.Processors;

/// <summary>
/// Head of the pipeline: runs the VAD on caller audio in 20 ms frames, announces speech start and stop, decides the end
/// of the caller's turn, and interrupts the bot when the caller speaks over it long enough. Times are converted from
/// audio time to call time using when each frame arrived.
/// </summary>
public sealed partial class VadProcessor : FrameProcessor
{
    private readonly CallContext _call;
    private readonly VoiceActivityDetector _vad;
    private readonly TurnDetector _turns;
    private readonly BargeInDetector _bargeIn;
    private readonly short[] _frame;
    private int _filled;
    private long _frames;
    private volatile bool _botSpeaking;

    /// <summary>Creates the processor with the bot's turn-taking settings.</summary>
    public VadProcessor(CallContext call, ILogger<VadProcessor> logger) : base("vad", logger)
    {
        _call = call;
        _vad = new VoiceActivityDetector(call.SampleRate);
        _turns = new TurnDetector(call.Bot.Definition.TurnTaking);
        _bargeIn = new BargeInDetector(call.Bot.Definition.TurnTaking);
        _frame = new short[call.SampleRate / 50];
    }

    /// <summary>True while bot audio is playing (as the output reported it).</summary>
    public bool BotSpeaking => _botSpeaking;

    /// <inheritdoc />
    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken)
    {
        switch (frame)
        {
            case InputAudioFrame audio:
                await AnalyseAsync(audio, cancellationToken).ConfigureAwait(false);
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
            case BotStartedSpeakingFrame:
                _botSpeaking = true;
                _bargeIn.Reset();
                return;
            case BotStoppedSpeakingFrame:
                _botSpeaking = false;
                _bargeIn.Reset();
                return;
            default:
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async ValueTask AnalyseAsync(InputAudioFrame audio, CancellationToken cancellationToken)
    {
        var samples = audio.Samples;
        while (samples.Length > 0)
        {
            var take = Math.Min(_frame.Length - _filled, samples.Length);
            samples.Span[..take].CopyTo(_frame.AsSpan(_filled));
            _filled += take;
            samples = samples[take..];
            if (_filled < _frame.Length)
            {
                break;
            }

            _filled = 0;
            _frames++;
            var result = _vad.Process(_frame);
            var arrival = _call.Clock.Now;
            TimeSpan ToCall(TimeSpan audioTime) => arrival - (result.End - audioTime);

            if (result.InSpeech)
            {
                _call.MarkActivity();
            }

            if (result.Event == VadEvent.SpeechStarted)
            {
                await PushFrameAsync(new UserStartedSpeakingFrame(ToCall(result.EventTime)), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            }
            else if (result.Event == VadEvent.SpeechStopped)
            {
                await PushFrameAsync(new UserStoppedSpeakingFrame(ToCall(result.EventTime)), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            }

            if (_botSpeaking && _call.Bot.Definition.TurnTaking.AllowBargeIn && _bargeIn.Process(result, botSpeaking: true) is { } bargeIn)
            {
                _botSpeaking = false;
                LogBargeIn(Logger, _call.CallId, bargeIn.Latency.TotalMilliseconds);
                await PushFrameAsync(new InterruptionFrame(ToCall(bargeIn.SpeechOnset)), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            }

            if (_turns.Process(result) is { } endOfTurn)
            {
                await PushFrameAsync(new EndOfTurnFrame(ToCall(endOfTurn.UtteranceEnd), ToCall(endOfTurn.DecidedAt)) { UtteranceStart = ToCall(endOfTurn.UtteranceStart) },
                    FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: caller barged in ({LatencyMs} ms of speech)")]
    private static partial void LogBargeIn(ILogger logger, string callId, double latencyMs);
}
