using Microsoft.Extensions.Logging;
using Vox.Grains.Calls;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Providers.Llm;

namespace Vox.MediaWorker.Pipeline.Processors;

/// <summary>
/// Turns the caller's utterance into the bot's reply: adds it to the context, streams the responder's text on, handles
/// <c>end_call</c>, and cuts the bot's message in the context to what was played when the caller barges in.
/// </summary>
public sealed partial class ResponderProcessor(CallContext call, ILanguageModel model, ILogger<ResponderProcessor> logger) : FrameProcessor("responder", logger)
{
    /// <summary>Queues the bot's first message (turn 0), so it is synthesised while the caller's side is still connecting.</summary>
    public async ValueTask StartGreetingAsync(CancellationToken cancellationToken)
    {
        var greeting = call.Bot.Definition.FirstMessage;
        if (string.IsNullOrWhiteSpace(greeting))
        {
            return;
        }

        call.Conversation.AppendAssistant(0, greeting);
        await PushFrameAsync(new ResponseTextFrame(0, greeting), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
        await PushFrameAsync(new ResponseEndFrame(0, EndCall: false), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken)
    {
        switch (frame)
        {
            case UserTurnFrame turn:
                await RespondAsync(turn, cancellationToken).ConfigureAwait(false);
                return;
            case BotStoppedSpeakingFrame { Interrupted: true } stopped:
                call.Conversation.TruncateAssistant(stopped.TurnId, stopped.PlayedText);
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
            default:
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async ValueTask RespondAsync(UserTurnFrame turn, CancellationToken cancellationToken)
    {
        call.Conversation.AddUser(turn.Text);
        var definition = call.Bot.Definition;
        var request = new LanguageModelRequest(call.Conversation.Messages, definition.Tools, definition.Llm.Model, definition.Llm.Temperature);
        var mark = call.Clock.Mark();
        var first = true;
        var endCall = false;
        string? endReason = null;
        await foreach (var e in model.StreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
            switch (e)
            {
                case TextDelta text when text.Text.Length > 0:
                    if (first)
                    {
                        first = false;
                        var ttft = call.Clock.MsSince(mark);
                        call.Metrics.Update(turn.TurnId, m => m with { LlmTimeToFirstTokenMs = ttft });
                    }

                    call.Conversation.AppendAssistant(turn.TurnId, text.Text);
                    await PushFrameAsync(new ResponseTextFrame(turn.TurnId, text.Text), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
                    break;
                case ToolCallRequest { Name: "end_call" }:
                    endCall = true;
                    endReason = EndReasons.BotHangup;
                    LogEndCall(Logger, call.CallId);
                    break;
                case ToolCallRequest tool:
                    LogToolUnavailable(Logger, call.CallId, tool.Name);
                    break;
                case UsageReport usage:
                    call.Metrics.AddUsage($"{model.Name}.prompt_tokens", usage.PromptTokens);
                    call.Metrics.AddUsage($"{model.Name}.completion_tokens", usage.CompletionTokens);
                    break;
            }
        }

        await PushFrameAsync(new ResponseEndFrame(turn.TurnId, endCall, endReason), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: responder called end_call")]
    private static partial void LogEndCall(ILogger logger, string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: tool {Tool} is not available on this worker")]
    private static partial void LogToolUnavailable(ILogger logger, string callId, string tool);
}
