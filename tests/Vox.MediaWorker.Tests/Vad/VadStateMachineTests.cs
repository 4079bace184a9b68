using Vox.MediaWorker.Vad;
using static Vox.MediaWorker.Tests.Vad.ScoreScript;

namespace Vox.MediaWorker.Tests.Vad;

public sealed class VadStateMachineTests
{
    [Fact]
    public void Process_speech_shorter_than_min_speech_starts_nothing()
    {
        List<VadFrameResult> frames = new ScoreScript().Pause(200).Speak(60).Pause(1000).Run();

        Assert.All(frames, f => Assert.Equal(VadEvent.None, f.Event));
        Assert.DoesNotContain(frames, f => f.InSpeech);
    }

    [Fact]
    public void Process_speech_of_min_speech_starts_on_last_frame_with_onset_at_first()
    {
        List<VadFrameResult> frames = new ScoreScript().Pause(200).Speak(80).Run();

        VadFrameResult started = Assert.Single(frames, f => f.Event != VadEvent.None);
        Assert.Equal(VadEvent.SpeechStarted, started.Event);
        Assert.Equal(13, started.FrameIndex);
        Assert.Equal(Ms(200), started.EventTime);
        Assert.Equal(VadState.Speaking, started.State);
        Assert.Equal([VadState.Starting, VadState.Starting, VadState.Starting], frames[10..13].ConvertAll(f => f.State));
    }

    [Fact]
    public void Process_score_between_thresholds_does_not_start_speech()
    {
        List<VadFrameResult> frames = new ScoreScript().Add(0.5, 2000).Run();

        Assert.All(frames, f => Assert.Equal(VadState.Silence, f.State));
    }

    [Fact]
    public void Process_score_between_thresholds_keeps_speech_going()
    {
        List<VadFrameResult> frames = new ScoreScript().Speak(100).Add(0.4, 1000).Pause(200).Run();

        VadFrameResult stopped = Assert.Single(frames, f => f.Event == VadEvent.SpeechStopped);
        Assert.Equal(Ms(1100), stopped.EventTime);
        Assert.Equal(Ms(1300), stopped.End);
    }

    [Fact]
    public void Process_frame_below_start_breaks_a_starting_run()
    {
        List<VadFrameResult> frames = new ScoreScript().Speak(60).Pause(20).Speak(60).Pause(500).Run();

        Assert.DoesNotContain(frames, f => f.Event != VadEvent.None);
    }

    [Fact]
    public void Process_silence_of_min_silence_stops_with_offset_at_last_speech_frame()
    {
        List<VadFrameResult> frames = new ScoreScript().Pause(100).Speak(500).Pause(400).Run();

        VadFrameResult stopped = Assert.Single(frames, f => f.Event == VadEvent.SpeechStopped);
        Assert.Equal(Ms(600), stopped.EventTime);
        Assert.Equal(Ms(800), stopped.End);
        Assert.Equal(VadState.Silence, stopped.State);
        Assert.All(frames.Where(f => f.End > Ms(600) && f.End < Ms(800)), f => Assert.Equal(VadState.Stopping, f.State));
    }

    [Fact]
    public void Process_pause_shorter_than_min_silence_does_not_stop()
    {
        List<VadFrameResult> frames = new ScoreScript().Speak(300).Pause(180).Speak(300).Run();

        Assert.Single(frames, f => f.Event == VadEvent.SpeechStarted);
        Assert.DoesNotContain(frames, f => f.Event == VadEvent.SpeechStopped);
        Assert.Equal(VadState.Speaking, frames[^1].State);
    }

    [Fact]
    public void Process_weak_frames_before_the_confirming_run_backdate_the_onset()
    {
        List<VadFrameResult> frames = new ScoreScript().Pause(400).Add(0.4, 100).Speak(100).Run();

        Assert.Equal(Ms(400), Assert.Single(frames, f => f.Event == VadEvent.SpeechStarted).EventTime);
    }

    [Fact]
    public void Process_onset_backdating_stops_at_onset_lookback()
    {
        var options = new VadOptions { OnsetLookbackMs = 100 };
        List<VadFrameResult> frames = new ScoreScript().Pause(400).Add(0.4, 1000).Speak(100).Run(options);

        Assert.Equal(Ms(1300), Assert.Single(frames, f => f.Event == VadEvent.SpeechStarted).EventTime);
    }

    [Fact]
    public void Process_marks_frames_as_speech_by_the_threshold_of_the_state()
    {
        List<VadFrameResult> frames = new ScoreScript().Add(0.5, 20).Speak(100).Add(0.5, 20).Add(0.2, 20).Run();

        Assert.Equal([false, true, true, true, true, true, true, false], frames.ConvertAll(f => f.IsSpeech));
    }

    [Fact]
    public void Process_nan_score_counts_as_silence()
    {
        List<VadFrameResult> frames = new ScoreScript().Add(double.NaN, 1000).Run();

        Assert.All(frames, f => Assert.Equal(0f, f.Score));
        Assert.All(frames, f => Assert.Equal(VadState.Silence, f.State));
    }

    [Fact]
    public void Process_zero_durations_start_and_stop_on_one_frame()
    {
        var options = new VadOptions { MinSpeechMs = 0, MinSilenceMs = 0 };
        List<VadFrameResult> frames = new ScoreScript().Speak(20).Pause(20).Run(options);

        Assert.Equal([VadEvent.SpeechStarted, VadEvent.SpeechStopped], frames.ConvertAll(f => f.Event));
        Assert.Equal(Ms(20), frames[1].EventTime);
    }

    [Fact]
    public void Reset_restarts_time_and_state()
    {
        var machine = new VadStateMachine();
        for (int i = 0; i < 50; i++)
        {
            machine.Process(1);
        }

        machine.Reset();
        VadFrameResult first = machine.Process(0);

        Assert.Equal(0, first.FrameIndex);
        Assert.Equal(VadState.Silence, first.State);
        Assert.Null(machine.LastSpeechEnd);
    }

    [Fact]
    public void Constructor_stop_threshold_above_start_throws_naming_the_key()
    {
        var options = new VadOptions { StartThreshold = 0.5, StopThreshold = 0.7 };

        var error = Assert.Throws<ArgumentException>(() => new VadStateMachine(options));
        Assert.Contains("Vad:StopThreshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_bad_values_fail_naming_every_key()
    {
        var options = new VadOptions { MinSpeechMs = -1, MinSpeechDbfs = 5, NoiseFloorWindowMs = 0 };

        var result = new VadOptionsValidator().Validate(name: null, options);

        Assert.True(result.Failed);
        Assert.Contains("Vad:MinSpeechMs", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Vad:MinSpeechDbfs", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Vad:NoiseFloorWindowMs", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new VadOptionsValidator().Validate(name: null, new VadOptions()).Succeeded);
    }
}
