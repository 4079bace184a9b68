using System.Text;
using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Providers.Stt;

namespace Vox.MediaWorker.Pipeline.Processors;

/// <summary>
/// Streams caller audio to the STT session, forwards interim transcripts (live transcript, word-count barge-in) and,
/// when the VAD ends the turn, asks for the final transcript and emits the caller's complete utterance once it comes.
/// </summary>
/// <remarks>
/// A turn waits for its final off the audio path: the caller's audio keeps flowing to the recogniser meanwhile, and an
/// interruption does not cancel the wait. A recogniser that fell behind the caller (a busy host) delivers the final
/// late, which ends that turn late rather than losing it. Each final that closes an utterance
/// (<see cref="TranscriptEvent.SpeechFinal"/>) answers the oldest turn still waiting, so a late final is never joined to
/// the next turn; a turn whose final never comes (a provider that lost it) is given up, as nothing heard, once a final
/// for audio sent after that turn's end arrives.
/// <para>
/// A session that hears only speech (<see cref="ISpeechToTextSession.SpeechOnly"/>, a local recogniser) is sent the
/// caller's audio from the <see cref="PreRoll"/> before the VAD heard speech until the caller's turn has ended and the
/// VAD has heard silence again; the silence in between (the bot talking, a caller listening) is not decoded.
/// </para>
/// </remarks>
public sealed partial class SttProcessor : FrameProcessor
{
    /// <summary>A final that comes later than this after the end of its turn is logged: the recogniser is behind the caller.</summary>
    public static readonly TimeSpan SlowFinal = TimeSpan.FromSeconds(2);

    // How far past a waiting turn's audio a final's words may end and still be that turn's (providers' word times are
    // approximate); a final ending later is for later audio, and the turn it skipped got no final.
    private static readonly TimeSpan FinalSlack = TimeSpan.FromMilliseconds(500);

    /// <summary>Audio before the VAD heard speech that is sent with it to a session that hears only speech.</summary>
    public static readonly TimeSpan PreRoll = TimeSpan.FromSeconds(1);

    private readonly CallContext _call;
    private readonly ISpeechToTextSession _session;
    private readonly bool _speechOnly;
    private readonly short[] _preRoll;
    private int _preRollStart;
    private int _preRollCount;
    private bool _callerSpeaking;
    private bool _turnOpen;
    private readonly StringBuilder _finals = new();
    private readonly Queue<PendingTurn> _waiting = new();
    private readonly Lock _gate = new();
    private TimeSpan _utteranceStart;
    private long _samplesSent;

    /// <summary>Creates the processor over an open STT session, whose events it starts reading.</summary>
    public SttProcessor(CallContext call, ISpeechToTextSession session, ILogger<SttProcessor> logger) : base("stt", logger)
    {
        _call = call;
        _session = session;
        _speechOnly = session.SpeechOnly;
        _preRoll = _speechOnly ? new short[(int)(PreRoll.TotalSeconds * call.SampleRate)] : [];
    }

    /// <summary>
    /// Turns whose final transcript has not come yet: the caller spoke and is owed an answer, so the call is not idle
    /// however long a recogniser that fell behind takes.
    /// </summary>
    public int TurnsAwaitingFinal
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Reads the session's events until the call ends; run next to the pipeline.</summary>
    public async Task ReadTranscriptsAsync(CancellationToken callToken)
    {
        try
        {
            await foreach (var e in _session.ReadEventsAsync(callToken).ConfigureAwait(false))
            {
                PendingTurn? answered = null;
                var text = "";
                List<PendingTurn>? unanswered = null;
                if (e.IsFinal)
                {
                    lock (_gate)
                    {
                        if (e.Text.Length > 0)
                        {
                            _finals.Append(_finals.Length > 0 ? " " : "").Append(e.Text.Trim());
                        }

                        if (e.SpeechFinal)
                        {
                            while (_waiting.TryPeek(out var oldest) && e.End > oldest.AudioEnd + FinalSlack)
                            {
                                (unanswered ??= []).Add(_waiting.Dequeue());
                            }

                            if (_waiting.TryDequeue(out var turn))
                            {
                                answered = turn;
                                text = _finals.ToString().Trim();
                                _finals.Clear();
                            }
                        }
                    }
                }

                foreach (var turn in unanswered ?? [])
                {
                    LogFinalMissing(Logger, _call.CallId, turn.AudioEnd.TotalSeconds);
                }

                await PushFrameAsync(new TranscriptionFrame(e), FrameDirection.Downstream, callToken).ConfigureAwait(false);
                if (answered is not null)
                {
                    await EmitTurnAsync(answered, text, callToken).ConfigureAwait(false);
                }

                if (!e.IsFinal && _call.BotSpeaking && _call.Bot.Definition.TurnTaking.AllowBargeIn &&
                    e.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= _call.Bot.Definition.TurnTaking.BargeInMinWords)
                {
                    _call.BotSpeaking = false;
                    await PushFrameAsync(new InterruptionFrame(_call.Clock.Now), FrameDirection.Downstream, callToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (callToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogSttFailed(Logger, ex, _call.CallId);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken)
    {
        switch (frame)
        {
            case InputAudioFrame audio:
                if (_speechOnly && !_callerSpeaking && !_turnOpen)
                {
                    KeepForPreRoll(audio.Samples.Span);
                    return;
                }

                await SendAsync(audio.Samples, cancellationToken).ConfigureAwait(false);
                return;
            case UserStartedSpeakingFrame started:
                _utteranceStart = started.At;
                _callerSpeaking = _turnOpen = true;
                await SendPreRollAsync(cancellationToken).ConfigureAwait(false);
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
            case UserStoppedSpeakingFrame:
                _callerSpeaking = false;
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
            case EndOfTurnFrame endOfTurn:
                _turnOpen = false;
                await FinishTurnAsync(endOfTurn, cancellationToken).ConfigureAwait(false);
                return;
            default:
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
    {
        await _session.SendAudioAsync(samples, cancellationToken).ConfigureAwait(false);
        _samplesSent += samples.Length;
    }

    // The last PreRoll of the audio not sent, in a ring.
    private void KeepForPreRoll(ReadOnlySpan<short> samples)
    {
        if (samples.Length >= _preRoll.Length)
        {
            samples[^_preRoll.Length..].CopyTo(_preRoll);
            (_preRollStart, _preRollCount) = (0, _preRoll.Length);
            return;
        }

        var end = (_preRollStart + _preRollCount) % _preRoll.Length;
        var first = Math.Min(samples.Length, _preRoll.Length - end);
        samples[..first].CopyTo(_preRoll.AsSpan(end));
        samples[first..].CopyTo(_preRoll);
        var overflow = Math.Max(0, _preRollCount + samples.Length - _preRoll.Length);
        _preRollStart = (_preRollStart + overflow) % _preRoll.Length;
        _preRollCount = Math.Min(_preRoll.Length, _preRollCount + samples.Length);
    }

    private async ValueTask SendPreRollAsync(CancellationToken cancellationToken)
    {
        if (_preRollCount == 0)
        {
            return;
        }

        var first = Math.Min(_preRollCount, _preRoll.Length - _preRollStart);
        await SendAsync(_preRoll.AsMemory(_preRollStart, first), cancellationToken).ConfigureAwait(false);
        if (_preRollCount > first)
        {
            await SendAsync(_preRoll.AsMemory(0, _preRollCount - first), cancellationToken).ConfigureAwait(false);
        }

        (_preRollStart, _preRollCount) = (0, 0);
    }

    // Asks for the final and returns: the turn is emitted by the transcript reader when its final comes.
    private async ValueTask FinishTurnAsync(EndOfTurnFrame endOfTurn, CancellationToken cancellationToken)
    {
        var start = endOfTurn.UtteranceStart > TimeSpan.Zero ? endOfTurn.UtteranceStart : _utteranceStart;
        var audioEnd = TimeSpan.FromSeconds(_samplesSent / (double)_call.SampleRate);
        lock (_gate)
        {
            // Queued before asking: the final can come before FinalizeAsync returns.
            _waiting.Enqueue(new PendingTurn(endOfTurn, start, audioEnd, _call.Clock.Mark()));
        }

        await _session.FinalizeAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EmitTurnAsync(PendingTurn turn, string text, CancellationToken cancellationToken)
    {
        // The caller's words are in: the idle timeout counts from here, not from their speech (see TurnsAwaitingFinal).
        _call.MarkActivity();
        var sttDelay = _call.Clock.MsSince(turn.Mark);
        if (sttDelay > SlowFinal.TotalMilliseconds)
        {
            LogSlowFinal(Logger, _call.CallId, sttDelay);
        }

        if (text.Length == 0)
        {
            LogNothingHeard(Logger, _call.CallId);
            return;
        }

        var endOfTurn = turn.EndOfTurn;
        var turnId = _call.NextTurnId();
        _call.RecordSpeechEnd(turnId, endOfTurn.SpeechEndedAt);
        _call.Metrics.Update(turnId, m => m with
        {
            EndOfUtteranceDelayMs = CallClock.Ms(endOfTurn.SpeechEndedAt, endOfTurn.DecidedAt),
            SttFinalDelayMs = sttDelay,
        });
        _call.Transcript.Add("user", text, turn.UtteranceStart, endOfTurn.SpeechEndedAt);
        await PushFrameAsync(new UserTurnFrame(turnId, text, endOfTurn.SpeechEndedAt, endOfTurn.DecidedAt, _call.Clock.Now),
            FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A turn the VAD ended, waiting for its final transcript.</summary>
    /// <param name="EndOfTurn">The VAD's decision.</param>
    /// <param name="UtteranceStart">When the caller's speech of the turn began (call time).</param>
    /// <param name="AudioEnd">How much audio the session had been sent when the final was asked for (session time).</param>
    /// <param name="Mark">When the final was asked for (a <see cref="CallClock.Mark"/>).</param>
    private sealed record PendingTurn(EndOfTurnFrame EndOfTurn, TimeSpan UtteranceStart, TimeSpan AudioEnd, long Mark);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: speech recognition failed")]
    private static partial void LogSttFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId}: turn ended with no words recognised")]
    private static partial void LogNothingHeard(ILogger logger, string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the final transcript came {DelayMs:0} ms after the turn ended (the recogniser is behind the caller)")]
    private static partial void LogSlowFinal(ILogger logger, string callId, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: no final transcript came for the turn ending at {AudioEndSeconds:0.00} s of audio; taken as nothing heard")]
    private static partial void LogFinalMissing(ILogger logger, string callId, double audioEndSeconds);
}
