using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Pipeline.Processors;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Tools;
using Vox.Testing;

namespace Vox.MediaWorker.Tests.Pipeline;

/// <summary>
/// Transfers in the pipeline: a keypad digit mapped to a transfer plays its reply, then asks the call control; a transfer
/// the control refuses is told to the caller and the call goes on.
/// </summary>
public sealed class CallTransferTests
{
    private const string Operator = "+14155550777";
    private const string Reply = "Transferring you to an operator now.";

    private const string Greeting = "Hello and welcome, this greeting is long enough that the caller will press a key while it plays.";

    private static BotRuntimeConfig Bot() => new("bot_1", "ten_1", 1, new BotDefinition
    {
        Name = "Test",
        FirstMessage = Greeting,
        DtmfActions =
        [
            new DtmfAction { Digit = "0", Reply = Reply, TransferTo = Operator },
            new DtmfAction { Digit = "9", Reply = "Goodbye.", EndsCall = true },
        ],
    }, DateTimeOffset.UnixEpoch);

    private sealed record Harness(CallContext Call, CallPipeline Pipeline, RecordingTransport Transport, ResponderProcessor Responder, TaskCompletionSource<string> Ended);

    private static Harness Build(ICallControl? control)
    {
        var bot = Bot();
        var call = new CallContext("call_t", bot, 16000, TimeProvider.System);
        var transport = new RecordingTransport { Clock = () => call.Clock.Now };
        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The offline responder has no tool runtime: the transfer goes through the call's own control, as on a SIP call.
        var responder = new ResponderProcessor(call, new OfflineResponder(bot.Definition), NullLogger<ResponderProcessor>.Instance, tools: null, control);
        var pipeline = CallPipeline.ForCall(null, null, new DtmfProcessor(call, NullLogger<DtmfProcessor>.Instance), responder, new SentenceSplitter(NullLogger<SentenceSplitter>.Instance),
            new TtsProcessor(call, new ToneTts(), NullLogger<TtsProcessor>.Instance), new OutputProcessor(call, transport, null, NullLogger<OutputProcessor>.Instance),
            (frame, _) =>
            {
                if (frame is EndFrame end)
                {
                    ended.TrySetResult(end.Reason);
                }

                return ValueTask.CompletedTask;
            });
        return new Harness(call, pipeline, transport, responder, ended);
    }

    [Fact]
    public async Task A_transfer_digit_plays_its_reply_then_transfers_and_ends_the_call_transferred()
    {
        var control = new Control();
        var h = Build(control);
        control.Clock = () => h.Call.Clock.Now;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = h.Pipeline.RunAsync(cts.Token);
        await h.Pipeline.PushAsync(new DtmfFrame('0', TimeSpan.FromSeconds(1)), cts.Token);

        Assert.Equal(EndReasons.Transferred, await h.Ended.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        var (destination, at) = Assert.Single(control.Transfers);
        Assert.Equal(Operator, destination);
        Assert.True(h.Transport.Frames.Count >= Reply.Split(' ').Length * 4, "the reply played (80 ms of tone per word)");
        Assert.True(h.Transport.Frames.Last().At <= at, "the transfer came before the reply had played");
        Assert.Equal(["[dtmf 0]", Reply], h.Call.Transcript.Turns.Select(t => t.Text));
        Assert.Equal(EndReasons.Transferred, h.Call.EndReason);
        await cts.CancelAsync();
        await Quietly(run);
    }

    [Fact]
    public async Task A_transfer_digit_pressed_during_the_greeting_cuts_it_off_and_still_plays_its_reply_then_transfers()
    {
        var control = new Control();
        var h = Build(control);
        control.Clock = () => h.Call.Clock.Now;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = h.Pipeline.RunAsync(cts.Token);
        await h.Responder.StartGreetingAsync(cts.Token);
        await Eventually.WaitForAsync(() => Task.FromResult(h.Transport.Frames.Count >= 10), TimeSpan.FromSeconds(10), "the greeting plays");
        Assert.True(h.Call.BotSpeaking);
        await h.Pipeline.PushAsync(new DtmfFrame('0', h.Call.Clock.Now), cts.Token);

        // Before the fix the reply was queued behind the interruption and dropped with the greeting's rest: no transfer.
        Assert.Equal(EndReasons.Transferred, await h.Ended.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        var turns = h.Call.Transcript.Turns;
        Assert.True(turns[0].Interrupted, "the greeting was cut off");
        Assert.NotEqual(Greeting, turns[0].Text);
        Assert.Equal(Reply, turns.Last(t => t.Role == "assistant").Text);
        Assert.Equal(Operator, Assert.Single(control.Transfers).Destination);
        await cts.CancelAsync();
        await Quietly(run);
    }

    [Fact]
    public async Task A_refused_transfer_is_told_to_the_caller_and_the_call_goes_on()
    {
        var control = new Control { Refuse = "The far end refused the transfer." };
        var h = Build(control);
        control.Clock = () => h.Call.Clock.Now;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = h.Pipeline.RunAsync(cts.Token);
        await h.Pipeline.PushAsync(new DtmfFrame('0', TimeSpan.FromSeconds(1)), cts.Token);

        await Eventually.WaitForAsync(() => Task.FromResult(h.Call.Transcript.Turns.Any(t => t.Text == ResponderProcessor.TransferFailedMessage)), TimeSpan.FromSeconds(20), "the failure is said");
        Assert.Single(control.Transfers);
        Assert.False(h.Ended.Task.IsCompleted, "a refused transfer must not end the call");
        Assert.Null(h.Call.EndReason);
        Assert.Contains(h.Call.Conversation.Messages, m => m.Role == "assistant" && m.Content == ResponderProcessor.TransferFailedMessage);

        // The call is still up: another digit still gets its action.
        await h.Pipeline.PushAsync(new DtmfFrame('9', TimeSpan.FromSeconds(8)), cts.Token);
        Assert.Equal(EndReasons.BotHangup, await h.Ended.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        await cts.CancelAsync();
        await Quietly(run);
    }

    [Fact]
    public async Task Without_call_control_the_transfer_is_said_to_have_failed()
    {
        var h = Build(control: null);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = h.Pipeline.RunAsync(cts.Token);
        await h.Pipeline.PushAsync(new DtmfFrame('0', TimeSpan.FromSeconds(1)), cts.Token);

        await Eventually.WaitForAsync(() => Task.FromResult(h.Call.Transcript.Turns.Any(t => t.Text == ResponderProcessor.TransferFailedMessage)), TimeSpan.FromSeconds(20), "the failure is said");
        Assert.False(h.Ended.Task.IsCompleted);
        await cts.CancelAsync();
        await Quietly(run);
    }

    private sealed class Control : ICallControl
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

        public string? Refuse { get; init; }

        public ConcurrentQueue<(string Destination, TimeSpan At)> Transfers { get; } = new();

        public Func<TimeSpan>? Clock { get; set; }

        public ValueTask TransferAsync(string destination, CancellationToken cancellationToken)
        {
            Transfers.Enqueue((destination, Clock?.Invoke() ?? _clock.Elapsed));
            return Refuse is null ? ValueTask.CompletedTask : ValueTask.FromException(new CallControlException(Refuse));
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
