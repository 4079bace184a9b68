using Vox.Grains.Bots;
using Vox.MediaWorker.Vad;
using static Vox.MediaWorker.Tests.Vad.ScoreScript;

namespace Vox.MediaWorker.Tests.Vad;

public sealed class TurnDetectorTests
{
    private static List<EndOfTurn> Run(ScoreScript script, int endOfTurnSilenceMs = 700, VadOptions? options = null)
    {
        var turns = new TurnDetector(Ms(endOfTurnSilenceMs));
        var ends = new List<EndOfTurn>();
        foreach (VadFrameResult frame in script.Run(options))
        {
            if (turns.Process(frame) is { } end)
            {
                ends.Add(end);
            }
        }

        return ends;
    }

    [Theory]
    [InlineData(700)]
    [InlineData(500)]
    [InlineData(1200)]
    public void Process_silence_after_speech_ends_turn_after_exactly_the_end_of_turn_silence(int silenceMs)
    {
        EndOfTurn end = Assert.Single(Run(new ScoreScript().Pause(1000).Speak(1000).Pause(3000), silenceMs));

        Assert.Equal(Ms(1000), end.UtteranceStart);
        Assert.Equal(Ms(2000), end.UtteranceEnd);
        Assert.Equal(Ms(2000 + silenceMs), end.DecidedAt);
        Assert.Equal(Ms(silenceMs), end.Delay);
    }

    [Fact]
    public void Process_silence_one_frame_short_of_the_window_does_not_end_turn()
    {
        Assert.Empty(Run(new ScoreScript().Speak(500).Pause(680)));
        Assert.Single(Run(new ScoreScript().Speak(500).Pause(700)));
    }

    [Fact]
    public void Process_speech_resuming_within_the_window_cancels_end_of_turn()
    {
        EndOfTurn end = Assert.Single(Run(new ScoreScript().Pause(200).Speak(600).Pause(600).Speak(400).Pause(2000)));

        Assert.Equal(Ms(200), end.UtteranceStart);
        Assert.Equal(Ms(1800), end.UtteranceEnd);
        Assert.Equal(Ms(2500), end.DecidedAt);
    }

    [Fact]
    public void Process_speech_after_the_window_starts_a_new_turn()
    {
        List<EndOfTurn> ends = Run(new ScoreScript().Speak(600).Pause(1000).Speak(400).Pause(1000));

        Assert.Equal(2, ends.Count);
        Assert.Equal((Ms(0), Ms(600), Ms(1300)), (ends[0].UtteranceStart, ends[0].UtteranceEnd, ends[0].DecidedAt));
        Assert.Equal((Ms(1600), Ms(2000), Ms(2700)), (ends[1].UtteranceStart, ends[1].UtteranceEnd, ends[1].DecidedAt));
    }

    [Fact]
    public void Process_candidate_speech_at_the_window_end_defers_the_decision_until_it_fails()
    {
        // Three speech frames from 1640 ms are a candidate run when the window closes at 1700 ms; one short of starting.
        EndOfTurn end = Assert.Single(Run(new ScoreScript().Pause(400).Speak(600).Pause(640).Speak(60).Pause(1000)));

        Assert.Equal(Ms(1000), end.UtteranceEnd);
        Assert.Equal(Ms(1720), end.DecidedAt);
    }

    [Fact]
    public void Process_candidate_speech_at_the_window_end_that_is_confirmed_cancels_end_of_turn()
    {
        EndOfTurn end = Assert.Single(Run(new ScoreScript().Pause(400).Speak(600).Pause(640).Speak(300).Pause(1000)));

        Assert.Equal(Ms(400), end.UtteranceStart);
        Assert.Equal(Ms(1940), end.UtteranceEnd);
        Assert.Equal(Ms(2640), end.DecidedAt);
    }

    [Fact]
    public void Process_detector_hangover_longer_than_the_window_does_not_delay_the_decision()
    {
        var options = new VadOptions { MinSilenceMs = 1500 };

        EndOfTurn end = Assert.Single(Run(new ScoreScript().Speak(500).Pause(2000), options: options));

        Assert.Equal(Ms(1200), end.DecidedAt);
    }

    [Fact]
    public void Process_speech_resuming_inside_a_hangover_longer_than_the_window_opens_a_new_turn()
    {
        var options = new VadOptions { MinSilenceMs = 1500 };

        List<EndOfTurn> ends = Run(new ScoreScript().Speak(500).Pause(1000).Speak(300).Pause(2000), options: options);

        Assert.Equal(2, ends.Count);
        Assert.Equal((Ms(1500), Ms(1800), Ms(2500)), (ends[1].UtteranceStart, ends[1].UtteranceEnd, ends[1].DecidedAt));
    }

    [Fact]
    public void Process_silence_and_blips_never_open_a_turn()
    {
        Assert.Empty(Run(new ScoreScript().Pause(1000).Speak(60).Pause(1000).Speak(40).Pause(2000)));
    }

    [Fact]
    public void Constructor_takes_the_bots_end_of_turn_silence()
    {
        Assert.Equal(Ms(700), new TurnDetector(new TurnTakingSettings()).EndOfTurnSilence);
        Assert.Equal(Ms(1100), new TurnDetector(new TurnTakingSettings { EndOfTurnSilenceMs = 1100 }).EndOfTurnSilence);
    }
}
