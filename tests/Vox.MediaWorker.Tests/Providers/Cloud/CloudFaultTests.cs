using Vox.Fakes;
using Vox.Grains.Bots;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline.Processors;

namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>Must-hold 3: provider faults in a live pipeline never leave the caller with a silent dead call.</summary>
public sealed class CloudFaultTests
{
    [Fact]
    public async Task Stt_socket_drop_mid_turn_reconnects_and_the_turn_is_not_lost()
    {
        var speech = await CloudCallHarness.SpeechAsync(16000);
        var voicedMs = VoicedMs(speech, 16000, 300);
        await using var h = await CloudCallHarness.StartAsync(CloudCallHarness.Bot(), fakes =>
        {
            fakes.Deepgram.Say("what are your opening hours");
            // The drop comes halfway through the voice; what is left after it is not enough for the fake to hear the
            // utterance, so only a client that replays the turn's audio on the new connection gets it.
            fakes.Deepgram.DropAfterVoicedMs = voicedMs / 2;
            fakes.Deepgram.MinVoicedMs = voicedMs * 3 / 4;
            fakes.Deepgram.Faults.Enqueue(FakeFault.DropMidStream);
        });

        await h.SpeakAsync(speech, TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        Assert.Equal(2, h.Fakes.Deepgram.Connections);
        Assert.Equal("what are your opening hours", h.Call.Transcript.Turns.First(t => t.Role == "user").Text);
        Assert.Equal("You said: what are your opening hours.", h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text);
        Assert.Contains(h.Logs.Lines, l => l.Contains("Deepgram stream reconnected", StringComparison.Ordinal));
        KeyLeakAssert.NoKeys(h);
    }

    [Theory]
    [InlineData(FakeFault.Status429)]
    [InlineData(FakeFault.Status500)]
    [InlineData(FakeFault.MalformedChunk)]
    [InlineData(FakeFault.DropMidStream)]
    public async Task Llm_fault_before_the_first_token_is_retried_and_the_answer_is_spoken(FakeFault fault)
    {
        await using var h = await CloudCallHarness.StartAsync(CloudCallHarness.Bot(), fakes =>
        {
            fakes.Deepgram.Say("hello there");
            fakes.OpenAi.FirstTokenLatency = TimeSpan.FromMilliseconds(20);
            fakes.OpenAi.Faults.Enqueue(fault);
        });

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        Assert.Equal(2, h.Fakes.OpenAi.Requests.Count);
        Assert.Equal("You said: hello there.", h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text);
        KeyLeakAssert.NoKeys(h);
    }

    [Fact]
    public async Task Llm_model_failing_every_attempt_falls_back_to_the_next_model()
    {
        var bot = CloudCallHarness.Bot(b => b with { Llm = b.Llm with { FallbackModels = ["gpt-backup"] } });
        await using var h = await CloudCallHarness.StartAsync(bot, fakes =>
        {
            fakes.Deepgram.Say("hello there");
            fakes.OpenAi.FirstTokenLatency = TimeSpan.FromMilliseconds(20);
            fakes.OpenAi.FailingModels.Add("gpt-fake");
        });

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        Assert.Equal(["gpt-fake", "gpt-fake", "gpt-backup"], h.Fakes.OpenAi.Requests.Select(r => r.GetProperty("model").GetString()!).ToArray());
        Assert.Equal("You said: hello there.", h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text);
    }

    [Fact]
    public async Task Llm_failing_for_good_gives_a_spoken_error_not_silence()
    {
        await using var h = await CloudCallHarness.StartAsync(CloudCallHarness.Bot(), fakes =>
        {
            fakes.Deepgram.Say("hello there");
            fakes.OpenAi.FailingModels.Add("gpt-fake");
        });

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        Assert.Equal(ResponderProcessor.ModelFailedMessage, h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text);
        KeyLeakAssert.NoKeys(h);
    }

    [Fact]
    public async Task Llm_that_only_ever_calls_tools_gets_a_spoken_error_after_the_round_limit()
    {
        var knowledge = new ScriptedKnowledge(CloudCallHarness.TenantId, "kb_1");
        await using var h = await CloudCallHarness.StartAsync(CloudCallHarness.Bot(b => b with { KnowledgeBaseId = "kb_1" }), fakes =>
        {
            fakes.Deepgram.Say("hello there");
            fakes.OpenAi.FirstTokenLatency = TimeSpan.FromMilliseconds(10);
            fakes.OpenAi.Respond = _ => FakeCompletion.Call(new FakeToolCall("search_knowledge", """{"query":"again"}"""));
        }, knowledge);

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        Assert.Equal(ResponderProcessor.MaxRounds, h.Fakes.OpenAi.Requests.Count);
        Assert.Equal(ResponderProcessor.ModelFailedMessage, h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text);
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("http")]
    public async Task Tts_failure_mid_sentence_says_the_rest_with_the_fallback_voice(string transport)
    {
        var bot = CloudCallHarness.Bot(b => b with { Tts = b.Tts with { FallbackVoice = "voice-backup" } });
        await using var h = await CloudCallHarness.StartAsync(bot, fakes =>
        {
            fakes.Deepgram.Say("tell me something");
            fakes.OpenAi.Respond = _ => FakeCompletion.Say("Our shop is on the corner of Main Street and Oak Avenue.");
            fakes.ElevenLabs.FailingVoices.Add("voice-main");
        }, elevenLabsTransport: transport);

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        var spoken = h.Fakes.ElevenLabs.Spoken.ToList();
        Assert.Equal("voice-main", spoken[0].Voice);
        Assert.Contains(spoken, s => s.Voice == "voice-backup");
        Assert.Empty(h.OfflineVoice.Texts);
        if (transport == "websocket")
        {
            // Alignment said which words were heard, so the backup voice starts where the main one stopped.
            var backup = spoken.First(s => s.Voice == "voice-backup").Text;
            Assert.True(backup.Length < "Our shop is on the corner of Main Street and Oak Avenue.".Length, backup);
            Assert.EndsWith("Oak Avenue.", backup, StringComparison.Ordinal);
        }

        Assert.True(h.Transport.Frames.Count >= 20);
        KeyLeakAssert.NoKeys(h);
    }

    [Fact]
    public async Task Tts_failing_on_every_voice_gives_a_clear_spoken_error()
    {
        var bot = CloudCallHarness.Bot(b => b with { Tts = b.Tts with { FallbackVoice = "voice-backup" } });
        await using var h = await CloudCallHarness.StartAsync(bot, fakes =>
        {
            fakes.Deepgram.Say("tell me something");
            fakes.OpenAi.Respond = _ => FakeCompletion.Say("Our shop is on the corner of Main Street and Oak Avenue.");
            fakes.ElevenLabs.FailingVoices.Add("voice-main");
            fakes.ElevenLabs.FailingVoices.Add("voice-backup");
        });

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        Assert.Contains(ProviderFactory.SpokenTtsError, h.OfflineVoice.Texts);
        Assert.Contains("trouble with my voice", h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text, StringComparison.Ordinal);
        KeyLeakAssert.NoKeys(h);
    }

    private static int VoicedMs(short[] speech, int rate, double rms)
    {
        var frame = rate / 50;
        var voiced = 0;
        for (var offset = 0; offset + frame <= speech.Length; offset += frame)
        {
            var bytes = new byte[frame * 2];
            Vox.MediaWorker.Audio.Pcm16.SamplesToBytes(speech.AsSpan(offset, frame), bytes);
            if (FakeAudio.Rms(bytes, muLaw: false) >= rms)
            {
                voiced += 20;
            }
        }

        return voiced;
    }
}
