namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>A mu-law 8 kHz carrier (Twilio): STT gets mu-law, TTS is asked for ulaw_8000, nothing is resampled.</summary>
public sealed class CloudTelephonyFormatTests
{
    [Fact]
    public async Task Twilio_call_streams_mulaw_to_deepgram_and_asks_elevenlabs_for_ulaw_8000()
    {
        await using var h = await CloudCallHarness.StartAsync(CloudCallHarness.Bot(), fakes => fakes.Deepgram.Say("hello from a phone"), sampleRate: 8000, serializer: "twilio");

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(8000), TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        Assert.Contains("encoding=mulaw", Assert.Single(h.Fakes.Deepgram.Queries), StringComparison.Ordinal);
        Assert.All(h.Fakes.ElevenLabs.OutputFormats, f => Assert.Equal("ulaw_8000", f));
        Assert.Equal("You said: hello from a phone.", h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text);
        // 20 ms frames at 8 kHz, and as many as the words took (80 ms each): no resampling changed the length.
        Assert.All(h.Transport.Frames, f => Assert.Equal(160, f.Samples));
        Assert.Equal(6 * 4, h.Transport.Frames.Count);
        KeyLeakAssert.NoKeys(h);
    }
}
