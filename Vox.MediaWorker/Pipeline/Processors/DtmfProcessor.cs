using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline.Frames;

namespace Vox.MediaWorker.Pipeline.Processors;

/// <summary>
/// Acts on keypad digits (DTMF frames from the carrier) with the bot's <c>DtmfActions</c>. A mapped digit interrupts
/// whatever the bot is doing: it sits ahead of the responder, so the interruption stops a reply the model is still
/// streaming as well as the audio being played (before, a digit pressed while the model streamed got its reply mixed
/// into the rest of the model's). The digit is written to the transcript as <c>[dtmf N]</c> and the bot says the action's
/// reply, then hangs up when the action ends the call, or has the responder transfer the call when it names a
/// <c>TransferTo</c> (sent before the reply, so the responder holds it when the reply has played). Digits without an
/// action pass on untouched.
/// </summary>
public sealed partial class DtmfProcessor(CallContext call, ILogger<DtmfProcessor> logger) : FrameProcessor("dtmf", logger)
{
    /// <inheritdoc />
    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken)
    {
        if (frame is not DtmfFrame dtmf)
        {
            await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
            return;
        }

        var action = call.Bot.Definition.DtmfActions.FirstOrDefault(a => a.Digit.Length == 1 && char.ToUpperInvariant(a.Digit[0]) == dtmf.Digit);
        LogDigit(Logger, call.CallId, dtmf.Digit, action is not null);
        if (action is not null)
        {
            // Always, not only while the bot speaks: the model may still be streaming a reply that has not reached the
            // speaker yet. The interruption drops the data queued behind it on its way down: the reply goes once it has passed.
            var interruption = new InterruptionFrame(dtmf.At) { Passed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
            await PushFrameAsync(interruption, FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            try
            {
                await interruption.Passed.Task.WaitAsync(InterruptionPassTimeout, call.Clock.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogInterruptionSlow(Logger, call.CallId, InterruptionPassTimeout.TotalMilliseconds);
            }

            call.MarkActivity();
            call.Transcript.Add("user", $"[dtmf {dtmf.Digit}]", dtmf.At, dtmf.At);
            var turn = call.NextTurnId();
            call.Conversation.AddUser($"(pressed {dtmf.Digit})");
            call.Conversation.AppendAssistant(turn, action.Reply);
            if (!string.IsNullOrWhiteSpace(action.TransferTo))
            {
                await PushFrameAsync(new TransferRequestFrame(turn, action.TransferTo.Trim()), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            }

            await PushFrameAsync(new ResponseTextFrame(turn, action.Reply), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            await PushFrameAsync(new ResponseEndFrame(turn, action.EndsCall, action.EndsCall ? Vox.Grains.Calls.EndReasons.BotHangup : null), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
        }

        await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Longest wait for the interruption to pass the output before the reply goes anyway: a bound for a wedged pipeline,
    /// not an expectation (on a busy host the interruption can take over a second to pass; a reply sent before it has
    /// passed is dropped with the interrupted one).
    /// </summary>
    public static readonly TimeSpan InterruptionPassTimeout = TimeSpan.FromSeconds(10);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the interruption took over {Ms} ms to pass the output; the digit's reply goes now")]
    private static partial void LogInterruptionSlow(ILogger logger, string callId, double ms);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: caller pressed {Digit} (action: {Mapped})")]
    private static partial void LogDigit(ILogger logger, string callId, char digit, bool mapped);
}
