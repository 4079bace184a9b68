using System.Globalization;
using Vox.Fakes;

namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>Must-hold 1: voice-to-voice latency with the cloud clients against fakes at fixed latencies.</summary>
public sealed class CloudLatencyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int SttFinalMs = 150;
    private const int LlmFirstTokenMs = 300;
    private const int TtsFirstByteMs = 200;
    private const int EndOfTurnSilenceMs = 500;

    [Fact]
    public async Task Voice_to_voice_p50_is_within_the_providers_latencies_plus_end_of_turn_silence_plus_30_ms()
    {
        const int Turns = 5;
        await using var h = await CloudCallHarness.StartAsync(CloudCallHarness.Bot(), fakes =>
        {
            fakes.Deepgram.FinalLatency = TimeSpan.FromMilliseconds(SttFinalMs);
            fakes.OpenAi.FirstTokenLatency = TimeSpan.FromMilliseconds(LlmFirstTokenMs);
            fakes.ElevenLabs.FirstByteLatency = TimeSpan.FromMilliseconds(TtsFirstByteMs);
            fakes.Deepgram.Say(Enumerable.Range(1, Turns).Select(i => $"question number {i}").ToArray());
            fakes.OpenAi.Respond = body => FakeCompletion.Say("Sure. " + FakeOpenAi.LastUser(body) + " is noted.");
        });
        var speech = await CloudCallHarness.SpeechAsync(16000);
        for (var i = 1; i <= Turns; i++)
        {
            await h.SpeakAsync(speech, TimeSpan.FromMilliseconds(EndOfTurnSilenceMs + 400));
            output.WriteLine($"spoke {i} at {h.Call.Clock.Now.TotalMilliseconds:0}");
            await h.WaitForBotTurnsAsync(i);
            output.WriteLine($"answered {i} at {h.Call.Clock.Now.TotalMilliseconds:0}");
        }

        var turns = h.Call.Metrics.Turns.Where(t => t.VoiceToVoiceMs is not null).ToList();
        foreach (var t in turns)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"turn {t.TurnId}: eou {t.EndOfUtteranceDelayMs:0} stt {t.SttFinalDelayMs:0} llm {t.LlmTimeToFirstTokenMs:0} tts {t.TtsTimeToFirstByteMs:0} v2v {t.VoiceToVoiceMs:0}"));
        }

        Assert.Equal(Turns, turns.Count);
        Assert.All(turns, t => Assert.NotNull(t.SttFinalDelayMs));
        Assert.All(turns, t => Assert.NotNull(t.LlmTimeToFirstTokenMs));
        Assert.All(turns, t => Assert.NotNull(t.TtsTimeToFirstByteMs));
        var p50 = Median(turns.Select(t => t.VoiceToVoiceMs!.Value));
        var budget = SttFinalMs + LlmFirstTokenMs + TtsFirstByteMs + EndOfTurnSilenceMs + 30;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"voice-to-voice p50 {p50:0} ms, budget {budget} ms; eou p50 {Median(turns.Select(t => t.EndOfUtteranceDelayMs!.Value)):0}"));
        Assert.True(p50 <= budget, $"voice-to-voice p50 {p50:0} ms exceeds {budget} ms");
        Assert.Contains("\"voiceToVoiceMs\"", h.RecordJson(), StringComparison.Ordinal);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
