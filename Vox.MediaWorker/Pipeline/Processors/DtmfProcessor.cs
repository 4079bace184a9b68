using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline.Frames;

namespace Vox.MediaWorker.Pipeline.Processors;

/// <summary>
/// Acts on keypad digits (DTMF frames from the carrier) with the bot's <c>DtmfActions</c>: a mapped digit cuts off the bot
/// if it is speaking, is written to the transcript as <c>[dtmf N]</c>, and the bot says the action's reply (hanging up after
/// it when the action ends the call). Digits without an action pass on untouched.
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
            if (call.BotSpeaking)
            {
                await PushFrameAsync(new InterruptionFrame(dtmf.At), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            }

            call.MarkActivity();
            call.Transcript.Add("user", $"[dtmf {dtmf.Digit}]", dtmf.At, dtmf.At);
            var turn = call.NextTurnId();
            call.Conversation.AddUser($"(pressed {dtmf.Digit})");
            call.Conversation.AppendAssistant(turn, action.Reply);
            await PushFrameAsync(new ResponseTextFrame(turn, action.Reply), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            await PushFrameAsync(new ResponseEndFrame(turn, action.EndsCall, action.EndsCall ? Vox.Grains.Calls.EndReasons.BotHangup : null), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
        }

        await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: caller pressed {Digit} (action: {Mapped})")]
    private static partial void LogDigit(ILogger logger, string callId, char digit, bool mapped);
}
