using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains.Bots;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Pipeline.Processors;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Providers.Tts;
using Vox.Testing;

namespace Vox.MediaWorker.Tests.Pipeline;

/// <summary>
/// A keypad digit pressed while the model is still streaming a long reply: the model's stream stops, and what the caller
/// hears and the transcript holds after the digit is the action's reply alone, not the rest of the model's answer.
/// </summary>
public sealed class DtmfDuringReplyTests
{
    private const string DigitReply = "You pressed one, here is the menu.";

    [Theory]
    [InlineData(true)] // the model's first words are already playing
    [InlineData(false)] // the model has streamed words that have not reached the speaker yet
    public async Task A_digit_stops_the_streaming_model_and_only_its_reply_follows(bool waitForAudio)
    {
        var bot = new BotRuntimeConfig("bot_1", "ten_1", 1, new BotDefinition
        {
            Name = "Test",
            DtmfActions = [new DtmfAction { Digit = "1", Reply = DigitReply }],
        }, DateTimeOffset.UnixEpoch);
        var call = new CallContext("call_d", bot, 16000, TimeProvider.System);
        var transport = new RecordingTransport { Clock = () => call.Clock.Now };
        var model = new SlowModel();
        var stalled = new StalledTts();
        ITextToSpeech tts = waitForAudio ? new ToneTts() : stalled;
        // The worker's own order (CallSession uses CallPipeline.ForCall), without listening: turns and digits are fed in.
        var pipeline = CallPipeline.ForCall(null, null, new DtmfProcessor(call, NullLogger<DtmfProcessor>.Instance),
            new ResponderProcessor(call, model, NullLogger<ResponderProcessor>.Instance, tools: null, control: null),
            new SentenceSplitter(NullLogger<SentenceSplitter>.Instance), new TtsProcessor(call, tts, NullLogger<TtsProcessor>.Instance),
            new OutputProcessor(call, transport, null, NullLogger<OutputProcessor>.Instance));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = pipeline.RunAsync(cts.Token);

        var now = call.Clock.Now;
        await pipeline.PushAsync(new UserTurnFrame(call.NextTurnId(), "Tell me everything about your opening hours.", now, now, now), cts.Token);
        await Eventually.WaitForAsync(() => Task.FromResult(waitForAudio ? transport.Frames.Count >= 10 : model.Words >= 10), TimeSpan.FromSeconds(10), "the model's reply is under way");
        await pipeline.PushAsync(new DtmfFrame('1', call.Clock.Now), cts.Token);

        // With the speech held back, the model's words never reached the caller; from here the digit's reply can play.
        stalled.Release();

        // Before the fix the digit's interruption began below the responder, which streamed on to the end (200 words).
        await model.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Eventually.WaitForAsync(() => Task.FromResult(call.Transcript.Turns.Any(t => t.Text == DigitReply)), TimeSpan.FromSeconds(10), "the digit's reply plays");
        var wordsAtStop = model.Words;
        await Task.Delay(300);
        Assert.Equal(wordsAtStop, model.Words);
        Assert.True(wordsAtStop < SlowModel.TotalWords, $"the model streamed all {wordsAtStop} words");

        var turns = call.Transcript.Turns.Select(t => t.Text).ToList();
        var digit = turns.IndexOf("[dtmf 1]");
        Assert.True(digit >= 0, string.Join(" | ", turns));
        Assert.Equal([DigitReply], turns.Skip(digit + 1));
        Assert.Equal(DigitReply, call.Conversation.Messages.Last(m => m.Role == "assistant").Content);
        await cts.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A model that streams <see cref="TotalWords"/> words, one every 40 ms, and notes when it is stopped.</summary>
    private sealed class SlowModel : ILanguageModel
    {
        public const int TotalWords = 200;

        private int _words;

        public string Name => "slow";

        public int Words => Volatile.Read(ref _words);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async IAsyncEnumerable<LanguageModelEvent> StreamAsync(LanguageModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var i = 0; i < TotalWords; i++)
            {
                try
                {
                    await Task.Delay(40, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Cancelled.TrySetResult();
                    throw;
                }

                Interlocked.Increment(ref _words);
                yield return new TextDelta($"word{i}{(i % 8 == 7 ? "." : "")} ");
            }
        }
    }

    /// <summary>A TTS that holds the model's sentences until released, then speaks like <see cref="ToneTts"/>.</summary>
    private sealed class StalledTts : ITextToSpeech
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ToneTts _tone = new();

        public string Name => "stalled";

        public void Release() => _released.TrySetResult();

        public async IAsyncEnumerable<SpeechAudioChunk> SynthesizeAsync(
            string text, TextToSpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await _released.Task.WaitAsync(cancellationToken);
            await foreach (var chunk in _tone.SynthesizeAsync(text, request, cancellationToken))
            {
                yield return chunk;
            }
        }
    }
}
