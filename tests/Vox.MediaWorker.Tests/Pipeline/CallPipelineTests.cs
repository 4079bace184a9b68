using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Pipeline.Processors;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Tests.Audio;

namespace Vox.MediaWorker.Tests.Pipeline;

/// <summary>The whole processor chain with real VAD and pacing, and doubles for the STT and TTS engines.</summary>
public sealed class CallPipelineTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static BotRuntimeConfig Bot(string firstMessage) => new("bot_1", "ten_1", 1, new BotDefinition
    {
        Name = "Test",
        FirstMessage = firstMessage,
        FarewellMessage = "Thanks for calling, goodbye.",
        ScriptedReplies =
        [
            new ScriptedReply { Keywords = ["opening hours"], Reply = "We are open from nine to five on Saturday. Is there anything else?" },
            new ScriptedReply { Keywords = ["appointment"], Reply = "Sure, I can book that for you. Which day and time would suit you best? We have many slots free this week, mornings and afternoons." },
        ],
        TurnTaking = new TurnTakingSettings { EndOfTurnSilenceMs = 500 },
    }, DateTimeOffset.UnixEpoch);

    private sealed record Harness(CallContext Call, CallPipeline Pipeline, RecordingTransport Transport, ResponderProcessor Responder, SttProcessor Stt, TaskCompletionSource<string> Ended);

    private static Harness Build(BotRuntimeConfig bot, ScriptedStt stt)
    {
        var call = new CallContext("call_t", bot, 16000, TimeProvider.System);
        var transport = new RecordingTransport { Clock = () => call.Clock.Now };
        var sttProcessor = new SttProcessor(call, stt, NullLogger<SttProcessor>.Instance);
        var responder = new ResponderProcessor(call, new OfflineResponder(bot.Definition), NullLogger<ResponderProcessor>.Instance);
        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = new CallPipeline(
            [new VadProcessor(call, NullLogger<VadProcessor>.Instance), sttProcessor, responder, new SentenceSplitter(NullLogger<SentenceSplitter>.Instance),
             new TtsProcessor(call, new ToneTts(), NullLogger<TtsProcessor>.Instance), new OutputProcessor(call, transport, null, NullLogger<OutputProcessor>.Instance)],
            (frame, _) =>
            {
                if (frame is EndFrame end)
                {
                    ended.TrySetResult(end.Reason);
                }

                return ValueTask.CompletedTask;
            });
        return new Harness(call, pipeline, transport, responder, sttProcessor, ended);
    }

    /// <summary>Streams a clip (and then silence) in real time, 20 ms per frame, from <paramref name="from"/> of the clip.</summary>
    private static async Task StreamAsync(Harness h, short[] samples, TimeSpan silenceAfter, CancellationToken ct)
    {
        var frame = 320;
        var pacer = new AudioPacer(TimeProvider.System);
        var total = samples.Length + (int)(silenceAfter.TotalSeconds * 16000);
        for (var offset = 0; offset < total; offset += frame)
        {
            await pacer.WaitForNextFrameAsync(ct);
            var chunk = new short[frame];
            if (offset < samples.Length)
            {
                samples.AsSpan(offset, Math.Min(frame, samples.Length - offset)).CopyTo(chunk);
            }

            await h.Pipeline.PushAsync(new InputAudioFrame(chunk, 16000, TimeSpan.FromSeconds(offset / 16000.0)), ct);
        }
    }

    private static async Task<short[]> ClipAsync(string file) =>
        (await WavFile.ReadAsync(Path.Combine(FixtureFiles.AudioDirectory, file), CancellationToken.None)).Samples.ToArray();

    [Fact]
    public async Task Greeting_then_a_question_gets_the_scripted_answer_with_turn_metrics()
    {
        var h = Build(Bot("Hello, thanks for calling."), new ScriptedStt("what are your opening hours on saturday"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = h.Pipeline.RunAsync(cts.Token);
        var transcripts = h.Stt.ReadTranscriptsAsync(cts.Token);
        await h.Responder.StartGreetingAsync(cts.Token);
        var clip = await ClipAsync("utt01_16k.wav");
        await StreamAsync(h, clip, TimeSpan.FromSeconds(5), cts.Token);

        var turns = h.Call.Transcript.Turns;
        Assert.Equal(["assistant", "user", "assistant"], turns.Select(t => t.Role));
        Assert.Equal("Hello, thanks for calling.", turns[0].Text);
        Assert.StartsWith("We are open from nine to five", turns[2].Text);
        var metrics = h.Call.Metrics.Get(1)!;
        Assert.NotNull(metrics.VoiceToVoiceMs);
        Assert.InRange(metrics.EndOfUtteranceDelayMs!.Value, 480, 560);
        Assert.True(metrics.VoiceToVoiceMs >= metrics.EndOfUtteranceDelayMs, $"v2v {metrics.VoiceToVoiceMs} < eou {metrics.EndOfUtteranceDelayMs}");
        Assert.True(metrics.VoiceToVoiceMs < metrics.EndOfUtteranceDelayMs + 300, $"v2v {metrics.VoiceToVoiceMs} ms: pipeline overhead too high");
        await cts.CancelAsync();
        await Task.WhenAll(Quietly(run), Quietly(transcripts));
    }

    [Fact]
    public async Task Caller_speech_over_the_bot_stops_it_and_the_context_keeps_only_what_was_played()
    {
        var h = Build(Bot("Hello."), new ScriptedStt("i would like to book an appointment", "yes that works for me"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var run = h.Pipeline.RunAsync(cts.Token);
        var transcripts = h.Stt.ReadTranscriptsAsync(cts.Token);
        // utt00 ends 1.5 s after its speech: the 2 s reply starts after the 0.5 s end-of-turn silence and is playing
        // when the caller starts again (utt05 from just before its speech onset at 1 s).
        var first = await ClipAsync("utt00_16k.wav");
        await StreamAsync(h, first[..(int)(4.9 * 16000)], TimeSpan.Zero, cts.Token);
        // Silence in real time until the reply plays (at most 5 s). One pacer for the whole wait: a pacer's first frame is
        // immediate, so a new one per frame pushed all 250 frames at once and a busy machine failed the test.
        var pacer = new AudioPacer(TimeProvider.System);
        for (var i = 0; i < 250 && !h.Call.BotSpeaking; i++)
        {
            await pacer.WaitForNextFrameAsync(cts.Token);
            await h.Pipeline.PushAsync(new InputAudioFrame(new short[320], 16000, TimeSpan.FromSeconds(4.9) + (i * TimeSpan.FromMilliseconds(20))), cts.Token);
        }

        Assert.True(h.Call.BotSpeaking, "the long reply should be playing");
        var second = await ClipAsync("utt05_16k.wav");
        await StreamAsync(h, second[(int)(0.9 * 16000)..], TimeSpan.FromSeconds(1.5), cts.Token);

        var reply = h.Call.Metrics.Get(1)!;
        Assert.True(reply.Interrupted);
        output.WriteLine($"caller onset to last bot frame: {reply.BargeInStopMs:0} ms (goal <= 300)");
        Assert.InRange(reply.BargeInStopMs!.Value, 0, 400);
        Assert.Equal(1, h.Transport.Clears);
        var interrupted = h.Call.Transcript.Turns.Single(t => t.Interrupted);
        Assert.StartsWith("Sure,", interrupted.Text);
        Assert.DoesNotContain("afternoons", interrupted.Text);
        var assistantInContext = h.Call.Conversation.Messages.Where(m => m.Role == "assistant").Select(m => m.Content).ToList();
        Assert.Contains(interrupted.Text, assistantInContext);
        Assert.DoesNotContain(assistantInContext, m => m.Contains("afternoons", StringComparison.Ordinal));
        await cts.CancelAsync();
        await Task.WhenAll(Quietly(run), Quietly(transcripts));
    }

    [Fact]
    public async Task Goodbye_plays_the_farewell_then_ends_the_call_as_bot_hangup()
    {
        var h = Build(Bot("Hi."), new ScriptedStt("no thank you that is all goodbye"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = h.Pipeline.RunAsync(cts.Token);
        var transcripts = h.Stt.ReadTranscriptsAsync(cts.Token);
        var feeding = StreamAsync(h, await ClipAsync("utt04_16k.wav"), TimeSpan.FromSeconds(6), cts.Token);
        var reason = await h.Ended.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(EndReasons.BotHangup, reason);
        Assert.Equal("Thanks for calling, goodbye.", h.Call.Transcript.Turns[^1].Text);
        Assert.False(h.Call.Transcript.Turns[^1].Interrupted);
        await cts.CancelAsync();
        await Task.WhenAll(Quietly(run), Quietly(transcripts), Quietly(feeding));
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
