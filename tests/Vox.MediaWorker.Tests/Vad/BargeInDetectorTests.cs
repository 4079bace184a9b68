using Vox.Grains.Bots;
using Vox.MediaWorker.Vad;
using static Vox.MediaWorker.Tests.Vad.ScoreScript;

namespace Vox.MediaWorker.Tests.Vad;

public sealed class BargeInDetectorTests
{
    private static List<BargeIn> Run(ScoreScript script, Func<TimeSpan, bool>? botSpeaking = null, int minSpeechMs = 400)
    {
        var detector = new BargeInDetector(Ms(minSpeechMs));
        var decisions = new List<BargeIn>();
        foreach (VadFrameResult frame in script.Run())
        {
            if (detector.Process(frame, botSpeaking?.Invoke(frame.Start) ?? true) is { } bargeIn)
            {
                decisions.Add(bargeIn);
            }
        }

        return decisions;
    }

    [Fact]
    public void Process_200ms_blip_while_the_bot_speaks_does_not_barge_in()
    {
        Assert.Empty(Run(new ScoreScript().Pause(1000).Speak(200).Pause(2000)));
    }

    [Fact]
    public void Process_400ms_speech_while_the_bot_speaks_barges_in_400ms_after_onset()
    {
        BargeIn bargeIn = Assert.Single(Run(new ScoreScript().Pause(1000).Speak(400).Pause(2000)));

        Assert.Equal(Ms(1000), bargeIn.SpeechOnset);
        Assert.Equal(Ms(1400), bargeIn.DecidedAt);
        Assert.Equal(Ms(400), bargeIn.Latency);
    }

    [Fact]
    public void Process_380ms_speech_does_not_barge_in()
    {
        Assert.Empty(Run(new ScoreScript().Pause(1000).Speak(380).Pause(2000)));
    }

    [Fact]
    public void Process_blips_closer_than_the_hangover_add_up_from_the_first_onset()
    {
        BargeIn bargeIn = Assert.Single(Run(new ScoreScript().Pause(500).Speak(200).Pause(100).Speak(200).Pause(1000)));

        Assert.Equal(Ms(500), bargeIn.SpeechOnset);
        Assert.Equal(Ms(900), bargeIn.DecidedAt);
    }

    [Fact]
    public void Process_blips_further_apart_than_the_hangover_do_not_add_up()
    {
        Assert.Empty(Run(new ScoreScript().Pause(500).Speak(200).Pause(400).Speak(200).Pause(1000)));
    }

    [Fact]
    public void Process_long_speech_barges_in_once()
    {
        Assert.Single(Run(new ScoreScript().Pause(500).Speak(3000).Pause(1000)));
    }

    [Fact]
    public void Process_speech_while_the_bot_is_silent_does_not_barge_in()
    {
        Assert.Empty(Run(new ScoreScript().Pause(500).Speak(2000).Pause(1000), botSpeaking: _ => false));
    }

    [Fact]
    public void Process_speech_that_began_before_the_bot_barges_in_when_the_bot_starts()
    {
        BargeIn bargeIn = Assert.Single(Run(new ScoreScript().Pause(500).Speak(2000).Pause(1000), botSpeaking: t => t >= Ms(1500)));

        Assert.Equal(Ms(500), bargeIn.SpeechOnset);
        Assert.Equal(Ms(1520), bargeIn.DecidedAt);
    }

    [Fact]
    public void Constructor_takes_the_bots_min_speech()
    {
        Assert.Equal(Ms(260), new BargeInDetector(new TurnTakingSettings()).MinSpeech);
        Assert.Equal(Ms(400), new BargeInDetector(new TurnTakingSettings { BargeInMinSpeechMs = 400 }).MinSpeech);
    }
}
