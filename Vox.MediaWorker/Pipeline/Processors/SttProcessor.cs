using System.Text;
using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Providers.Stt;

namespace Vox.MediaWorker.Pipeline.Processors;

/// <summary>
/// Streams caller audio to the STT session, forwards interim transcripts (live transcript, word-count barge-in) and,
/// when the VAD ends the turn, asks for the final transcript and emits the caller's complete utterance.
/// </summary>
public sealed partial class SttProcessor : FrameProcessor
{
    private static readonly TimeSpan FinalTimeout = TimeSpan.FromSeconds(2);

    private readonly CallContext _call;
    private readonly ISpeechToTextSession _session;
    private readonly StringBuilder _finals = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource? _finalArrived;
    private TimeSpan _utteranceStart;

    /// <summary>Creates the processor over an open STT session, whose events it starts reading.</summary>
    public SttProcessor(CallContext call, ISpeechToTextSession session, ILogger<SttProcessor> logger) : base("stt", logger)
    {
        _call = call;
        _session = session;
    }

    /// <summary>Reads the session's events until the call ends; run next to the pipeline.</summary>
    public async Task ReadTranscriptsAsync(CancellationToken callToken)
    {
        try
        {
            await foreach (var e in _session.ReadEventsAsync(callToken).ConfigureAwait(false))
            {
                if (e.IsFinal)
                {
                    lock (_gate)
                    {
                        if (e.Text.Length > 0)
                        {
                            _finals.Append(_finals.Length > 0 ? " " : "").Append(e.Text.Trim());
                        }

                        _finalArrived?.TrySetResult();
                    }
                }

                await PushFrameAsync(new TranscriptionFrame(e), FrameDirection.Downstream, callToken).ConfigureAwait(false);
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
                await _session.SendAudioAsync(audio.Samples, cancellationToken).ConfigureAwait(false);
                return;
            case UserStartedSpeakingFrame started:
                _utteranceStart = started.At;
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
            case EndOfTurnFrame endOfTurn:
                await FinishTurnAsync(endOfTurn, cancellationToken).ConfigureAwait(false);
                return;
            default:
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async ValueTask FinishTurnAsync(EndOfTurnFrame endOfTurn, CancellationToken cancellationToken)
    {
        var mark = _call.Clock.Mark();
        Task arrived;
        lock (_gate)
        {
            _finalArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived = _finalArrived.Task;
        }

        await _session.FinalizeAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAny(arrived, Task.Delay(FinalTimeout, _call.Clock.Time, cancellationToken)).ConfigureAwait(false);
        var sttDelay = _call.Clock.MsSince(mark);
        string text;
        lock (_gate)
        {
            text = _finals.ToString().Trim();
            _finals.Clear();
            _finalArrived = null;
        }

        if (text.Length == 0)
        {
            LogNothingHeard(Logger, _call.CallId);
            return;
        }

        var turnId = _call.NextTurnId();
        _call.RecordSpeechEnd(turnId, endOfTurn.SpeechEndedAt);
        _call.Metrics.Update(turnId, m => m with
        {
            EndOfUtteranceDelayMs = CallClock.Ms(endOfTurn.SpeechEndedAt, endOfTurn.DecidedAt),
            SttFinalDelayMs = sttDelay,
        });
        var start = endOfTurn.UtteranceStart > TimeSpan.Zero ? endOfTurn.UtteranceStart : _utteranceStart;
        _call.Transcript.Add("user", text, start, endOfTurn.SpeechEndedAt);
        await PushFrameAsync(new UserTurnFrame(turnId, text, endOfTurn.SpeechEndedAt, endOfTurn.DecidedAt, _call.Clock.Now),
            FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: speech recognition failed")]
    private static partial void LogSttFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId}: turn ended with no words recognised")]
    private static partial void LogNothingHeard(ILogger logger, string callId);
}
