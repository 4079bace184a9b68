using System.Text;
using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Pipeline.Processors;

/// <summary>
/// Tail of the pipeline: plays bot audio out in real time, 20 ms at a time, so an interruption stops it at the frame the
/// caller actually heard. Tells the head when the bot starts and stops speaking (with the text that was played), keeps
/// the bot's side of the transcript and the voice-to-voice and barge-in timings, and hangs up after a farewell.
/// </summary>
public sealed partial class OutputProcessor : FrameProcessor
{
    private readonly CallContext _call;
    private readonly IOutputTransport _transport;
    private readonly Action<ReadOnlyMemory<short>, TimeSpan>? _recordBot;
    private readonly AudioPacer _pacer;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly StringBuilder _played = new();
    private readonly short[] _frame;
    private long _speakingTurn = -1;
    private TimeSpan _speakingSince;
    private TimeSpan _lastFrameAt;
    private bool _paced;

    /// <summary>Creates the output over <paramref name="transport"/>; <paramref name="recordBot"/> receives every frame sent, with its call time.</summary>
    public OutputProcessor(CallContext call, IOutputTransport transport, Action<ReadOnlyMemory<short>, TimeSpan>? recordBot, ILogger<OutputProcessor> logger)
        : base("output", logger)
    {
        _call = call;
        _transport = transport;
        _recordBot = recordBot;
        _pacer = new AudioPacer(call.Clock.Time);
        _frame = new short[call.SampleRate / 50];
    }

    /// <inheritdoc />
    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken)
    {
        switch (frame)
        {
            case OutputAudioFrame audio:
                await PlayAsync(audio, cancellationToken).ConfigureAwait(false);
                return;
            case ResponseEndFrame end:
                await FinishTurnAsync(end, cancellationToken).ConfigureAwait(false);
                return;
            case InterruptionFrame:
                return;
            case TranscriptionFrame { Transcript.IsFinal: true } transcript:
                await _transport.SendEventAsync(new TransportEvent("transcript", "user", transcript.Transcript.Text, true), cancellationToken).ConfigureAwait(false);
                return;
            default:
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    /// <inheritdoc />
    protected override async ValueTask OnInterruptedAsync(InterruptionFrame frame, CancellationToken cancellationToken)
    {
        // Taking the send lock guarantees no frame of the interrupted turn leaves after this point.
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_speakingTurn < 0)
            {
                return;
            }

            await _transport.ClearAsync(cancellationToken).ConfigureAwait(false);
            var turn = _speakingTurn;
            var played = _played.ToString().Trim();
            var stopMs = CallClock.Ms(frame.OnsetAt, _lastFrameAt);
            _call.Metrics.Update(turn, m => m with { Interrupted = true, BargeInStopMs = Math.Max(0, stopMs) });
            _call.Transcript.Add("assistant", played, _speakingSince, _lastFrameAt, interrupted: true);
            LogInterrupted(Logger, _call.CallId, turn, stopMs, played);
            await StopSpeakingAsync(turn, played, interrupted: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async ValueTask PlayAsync(OutputAudioFrame audio, CancellationToken cancellationToken)
    {
        var samples = audio.Samples;
        var offset = 0;
        while (offset < samples.Length)
        {
            var take = Math.Min(_frame.Length, samples.Length - offset);
            if (!_paced)
            {
                // A new burst of speech after silence: pace from now, not from when the last burst started.
                _pacer.Restart();
                _paced = true;
            }

            await _pacer.WaitForNextFrameAsync(cancellationToken).ConfigureAwait(false);

            await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_speakingTurn != audio.TurnId)
                {
                    await StartSpeakingAsync(audio.TurnId, cancellationToken).ConfigureAwait(false);
                }

                // One buffer for every frame: the transport encodes it and the recorder copies it before the next one.
                var frame = _frame.AsSpan();
                frame.Clear();
                samples.Span.Slice(offset, take).CopyTo(frame);
                await _transport.SendAudioAsync(_frame, cancellationToken).ConfigureAwait(false);
                _lastFrameAt = _call.Clock.Now;
                _call.MarkActivity();
                _recordBot?.Invoke(_frame, _lastFrameAt);
                offset += take;
                if (offset >= samples.Length && audio.Text is not null)
                {
                    _played.Append(_played.Length > 0 ? " " : "").Append(audio.Text.Trim());
                }
            }
            finally
            {
                _sending.Release();
            }
        }
    }

    private async ValueTask StartSpeakingAsync(long turnId, CancellationToken cancellationToken)
    {
        _speakingTurn = turnId;
        _speakingSince = _call.Clock.Now;
        _played.Clear();
        _call.BotSpeaking = true;
        if (_call.SpeechEndOf(turnId) is { } speechEnd)
        {
            var v2v = CallClock.Ms(speechEnd, _speakingSince);
            _call.Metrics.Update(turnId, m => m with { VoiceToVoiceMs = v2v });
        }

        await PushFrameAsync(new BotStartedSpeakingFrame(turnId, _speakingSince), FrameDirection.Upstream, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask FinishTurnAsync(ResponseEndFrame end, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_speakingTurn == end.TurnId)
            {
                var played = _played.ToString().Trim();
                _call.Transcript.Add("assistant", played, _speakingSince, _lastFrameAt);
                await _transport.SendEventAsync(new TransportEvent("transcript", "assistant", played, true), cancellationToken).ConfigureAwait(false);
                await StopSpeakingAsync(end.TurnId, played, interrupted: false, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sending.Release();
        }

        if (end.EndCall)
        {
            _call.SetEndReason(end.EndReason ?? Vox.Grains.Calls.EndReasons.BotHangup);
            await PushFrameAsync(new EndFrame(_call.EndReason!), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask StopSpeakingAsync(long turnId, string played, bool interrupted, CancellationToken cancellationToken)
    {
        _speakingTurn = -1;
        _paced = false;
        _call.BotSpeaking = false;
        _played.Clear();
        await PushFrameAsync(new BotStoppedSpeakingFrame(turnId, _call.Clock.Now, played, interrupted), FrameDirection.Upstream, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: turn {TurnId} interrupted, last frame {StopMs} ms after the caller's onset; played \"{Played}\"")]
    private static partial void LogInterrupted(ILogger logger, string callId, long turnId, double stopMs, string played);
}
