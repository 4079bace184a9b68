using Microsoft.Extensions.Logging;
using Vox.Grains.Calls;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Tools;

namespace Vox.MediaWorker.Pipeline.Processors;

/// <summary>
/// Turns the caller's utterance into the bot's reply: adds it to the context, streams the model's text on, runs the
/// tools it calls (in parallel, with a filler phrase while a slow one runs) and asks again with their results, hangs up
/// after the goodbye (<c>end_call</c>, <c>detected_voicemail</c>), transfers after the last words (<c>transfer_call</c>),
/// says a clear error when the model fails before saying anything, and cuts the bot's message in the context to what
/// was played when the caller barges in. Transfers go through <paramref name="control"/> (else the tool runtime's); one
/// that fails is said to the caller and the call goes on.
/// </summary>
public sealed partial class ResponderProcessor(CallContext call, ILanguageModel model, ILogger<ResponderProcessor> logger, ToolRuntime? tools = null,
    ICallControl? control = null)
    : FrameProcessor("responder", logger)
{
    /// <summary>What the bot says when a transfer it announced did not happen.</summary>
    public const string TransferFailedMessage = "Sorry, I couldn't transfer your call. Is there anything else I can help you with?";

    /// <summary>Model requests per caller turn at most (tool rounds included).</summary>
    public const int MaxRounds = 5;

    /// <summary>What the bot says when the model failed before its first word.</summary>
    public const string ModelFailedMessage = "Sorry, I'm having trouble answering right now. Could you say that again in a moment?";

    private readonly Dictionary<long, string> _pendingTransfers = [];

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
            case TransferRequestFrame transfer:
                _pendingTransfers[transfer.TurnId] = transfer.Destination;
                return;
            case BotStoppedSpeakingFrame stopped:
                if (stopped.Interrupted)
                {
                    call.Conversation.TruncateAssistant(stopped.TurnId, stopped.PlayedText);
                }

                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                if (_pendingTransfers.Remove(stopped.TurnId, out var destination))
                {
                    await TransferAsync(destination, cancellationToken).ConfigureAwait(false);
                }

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
        var mark = call.Clock.Mark();
        var state = new TurnState(turn.TurnId, mark);
        var answered = false;
        for (var round = 0; round < MaxRounds && !answered; round++)
        {
            var request = new LanguageModelRequest(call.Conversation.Messages, tools?.Tools ?? definition.Tools, definition.Llm.Model, definition.Llm.Temperature,
                CacheKey: call.Bot.BotId);
            var calls = new List<ToolCallRequest>();
            try
            {
                await foreach (var e in model.StreamAsync(request, cancellationToken).ConfigureAwait(false))
                {
                    switch (e)
                    {
                        case TextDelta text when text.Text.Length > 0:
                            await SayAsync(state, text.Text, cancellationToken).ConfigureAwait(false);
                            break;
                        case ToolCallRequest tool:
                            calls.Add(tool);
                            break;
                        case UsageReport usage:
                            call.Metrics.AddUsage($"{model.Name}.prompt_tokens", usage.PromptTokens);
                            call.Metrics.AddUsage($"{model.Name}.completion_tokens", usage.CompletionTokens);
                            if (usage.CachedPromptTokens > 0)
                            {
                                call.Metrics.AddUsage($"{model.Name}.cached_prompt_tokens", usage.CachedPromptTokens);
                            }

                            break;
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogModelFailed(Logger, ex, call.CallId, ex.Message);
                if (!state.Spoke)
                {
                    await SayAsync(state, ModelFailedMessage, cancellationToken).ConfigureAwait(false);
                }

                answered = true;
                break;
            }

            answered = calls.Count == 0 || !await RunToolsAsync(state, calls, cancellationToken).ConfigureAwait(false);
        }

        if (!answered && !state.Spoke)
        {
            // The model kept calling tools and never answered: say so rather than leave the caller in silence.
            LogToolLoop(Logger, call.CallId, MaxRounds);
            await SayAsync(state, ModelFailedMessage, cancellationToken).ConfigureAwait(false);
        }

        if (state.EndCall && !state.Spoke)
        {
            await SayAsync(state, definition.FarewellMessage ?? "Thank you for calling. Goodbye!", cancellationToken).ConfigureAwait(false);
        }

        if (state.TransferTo is not null && !state.Spoke)
        {
            await SayAsync(state, "Please hold while I transfer you.", cancellationToken).ConfigureAwait(false);
        }

        if (state.TransferTo is { } destination)
        {
            _pendingTransfers[turn.TurnId] = destination;
        }

        await PushFrameAsync(new ResponseEndFrame(turn.TurnId, state.EndCall, state.EndReason), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a round of tool calls; true when the model should be asked again with the results.</summary>
    private async Task<bool> RunToolsAsync(TurnState state, List<ToolCallRequest> calls, CancellationToken cancellationToken)
    {
        if (tools is null)
        {
            // The offline responder's only tool.
            if (calls.Any(c => c.Name == BuiltInTools.EndCall))
            {
                state.EndCall = true;
                state.EndReason = EndReasons.BotHangup;
                LogEndCall(Logger, call.CallId);
            }
            else
            {
                LogToolUnavailable(Logger, call.CallId, calls[0].Name);
            }

            return false;
        }

        var running = Task.WhenAll(calls.Select(c => tools.RunAsync(state.TurnId, c, cancellationToken)));
        var slow = calls.Select(c => tools.Find(c.Name)).Where(t => t?.FillerPhrase is { Length: > 0 }).ToList();
        if (slow.Count > 0 && !running.IsCompleted)
        {
            var wait = TimeSpan.FromMilliseconds(slow.Min(t => t!.FillerAfterMs));
            if (await Task.WhenAny(running, Task.Delay(wait, call.Clock.Time, cancellationToken)).ConfigureAwait(false) != running)
            {
                var filler = slow[0]!.FillerPhrase!.Trim();
                await SayAsync(state, (filler[^1] is '.' or '!' or '?' ? filler : filler + ".") + " ", cancellationToken).ConfigureAwait(false);
            }
        }

        var outcomes = await running.ConfigureAwait(false);
        call.Conversation.AddToolRound(state.TurnId, calls, calls.Select((c, i) => new ChatMessage("tool", outcomes[i].Content, c.Id, c.Name)).ToList());
        foreach (var outcome in outcomes)
        {
            switch (outcome.Effect)
            {
                case ToolEffect.EndCall:
                    state.EndCall = true;
                    state.EndReason ??= EndReasons.BotHangup;
                    LogEndCall(Logger, call.CallId);
                    break;
                case ToolEffect.Voicemail:
                    state.EndCall = true;
                    state.EndReason = EndReasons.Voicemail;
                    break;
                case ToolEffect.Transfer:
                    state.TransferTo = outcome.Destination;
                    break;
            }
        }

        // A tool that ends or hands over the call ends the turn; otherwise the model answers with the results.
        return !state.EndCall && state.TransferTo is null;
    }

    private async ValueTask SayAsync(TurnState state, string text, CancellationToken cancellationToken)
    {
        if (!state.Spoke)
        {
            state.Spoke = true;
            var ttft = call.Clock.MsSince(state.Mark);
            call.Metrics.Update(state.TurnId, m => m with { LlmTimeToFirstTokenMs = ttft });
        }

        call.Conversation.AppendAssistant(state.TurnId, text);
        await PushFrameAsync(new ResponseTextFrame(state.TurnId, text), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask TransferAsync(string destination, CancellationToken cancellationToken)
    {
        try
        {
            if ((control ?? tools?.Control) is not { } callControl)
            {
                throw new CallControlException("This call's transport cannot transfer calls.");
            }

            await callControl.TransferAsync(destination, cancellationToken).ConfigureAwait(false);
            LogTransferred(Logger, call.CallId, destination);
            call.SetEndReason(EndReasons.Transferred);
            await PushFrameAsync(new ResponseEndFrame(call.NextTurnId(), EndCall: true, EndReasons.Transferred), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The bot said it would transfer: tell the caller it did not, and keep the conversation going.
            LogTransferFailed(Logger, call.CallId, destination, ex.Message);
            var turn = call.NextTurnId();
            call.Conversation.AppendAssistant(turn, TransferFailedMessage);
            await PushFrameAsync(new ResponseTextFrame(turn, TransferFailedMessage), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            await PushFrameAsync(new ResponseEndFrame(turn, EndCall: false), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class TurnState(long turnId, long mark)
    {
        public long TurnId { get; } = turnId;

        public long Mark { get; } = mark;

        public bool Spoke { get; set; }

        public bool EndCall { get; set; }

        public string? EndReason { get; set; }

        public string? TransferTo { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: responder called end_call")]
    private static partial void LogEndCall(ILogger logger, string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: tool {Tool} is not available on this worker")]
    private static partial void LogToolUnavailable(ILogger logger, string callId, string tool);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId}: the language model failed: {Error}")]
    private static partial void LogModelFailed(ILogger logger, Exception exception, string callId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the model called tools {Rounds} times without answering")]
    private static partial void LogToolLoop(ILogger logger, string callId, int rounds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: transferred to {Destination}")]
    private static partial void LogTransferred(ILogger logger, string callId, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the transfer to {Destination} failed: {Error}; the call goes on")]
    private static partial void LogTransferFailed(ILogger logger, string callId, string destination, string error);
}
