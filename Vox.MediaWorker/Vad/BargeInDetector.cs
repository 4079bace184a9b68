using Vox.Grains.Bots;

namespace Vox.MediaWorker.Vad;

/// <summary>
/// Decides, from the frames of a voice activity detector, when caller speech during the bot's speech should interrupt
/// it: only speech that lasts <see cref="MinSpeech"/>, so a cough or an "mm-hm" does not stop the bot.
/// </summary>
/// <remarks>
/// Speech lasts from its onset to the end of its latest confirmed speech frame; pauses shorter than the detector's
/// hangover do not break it, but the hangover itself does not count as speech, so a 200 ms blip stays a 200 ms blip.
/// Speech that began before the bot did counts from its onset. Each stretch of speech interrupts at most once.
/// Word-count barge-in (<see cref="TurnTakingSettings.BargeInMinWords"/>) needs transcripts and is the pipeline's.
/// Time comes from frame indices only. Not thread-safe: one instance per call.
/// </remarks>
public sealed class BargeInDetector
{
    private bool _tracking;
    private bool _decided;
    private TimeSpan _onset;
    private TimeSpan _speechEnd;

    /// <summary>Creates a detector that interrupts once caller speech has lasted <paramref name="minSpeech"/>.</summary>
    public BargeInDetector(TimeSpan minSpeech)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minSpeech, TimeSpan.Zero);
        MinSpeech = minSpeech;
    }

    /// <summary>Creates a detector with the bot's <see cref="TurnTakingSettings.BargeInMinSpeechMs"/>.</summary>
    public BargeInDetector(TurnTakingSettings settings)
        : this(TimeSpan.FromMilliseconds((settings ?? throw new ArgumentNullException(nameof(settings))).BargeInMinSpeechMs))
    {
    }

    /// <summary>How long caller speech must last to interrupt the bot.</summary>
    public TimeSpan MinSpeech { get; }

    /// <summary>Feeds one detector frame, saying whether the bot's audio is playing during it; returns the barge-in on
    /// the frame that decides it, otherwise null.</summary>
    public BargeIn? Process(in VadFrameResult frame, bool botSpeaking)
    {
        switch (frame.Event)
        {
            case VadEvent.SpeechStarted:
                _tracking = true;
                _decided = false;
                _onset = frame.EventTime;
                break;
            case VadEvent.SpeechStopped:
                _tracking = false;
                return null;
        }

        if (!_tracking)
        {
            return null;
        }

        if (frame.State == VadState.Speaking)
        {
            _speechEnd = frame.End;
        }

        if (!botSpeaking || _decided || _speechEnd - _onset < MinSpeech)
        {
            return null;
        }

        _decided = true;
        return new BargeIn(_onset, frame.End);
    }

    /// <summary>Forgets the speech being tracked.</summary>
    public void Reset()
    {
        _tracking = false;
        _decided = false;
    }
}
