namespace Vox.MediaWorker.Vad;

/// <summary>A voice activity detector's verdict on one 20 ms frame; times count from the first frame of the stream.</summary>
/// <param name="FrameIndex">Zero-based index of the frame in the stream.</param>
/// <param name="Score">Speech score in [0, 1]: how speech-like the frame is (not a calibrated probability).</param>
/// <param name="IsSpeech">Whether the state machine counted the frame as speech (the threshold depends on the state: hysteresis).</param>
/// <param name="State">The state after this frame.</param>
/// <param name="Event">The speech event this frame caused, if any.</param>
/// <param name="EventTime">Onset for <see cref="VadEvent.SpeechStarted"/>, offset for <see cref="VadEvent.SpeechStopped"/>; zero otherwise.</param>
public readonly record struct VadFrameResult(long FrameIndex, float Score, bool IsSpeech, VadState State, VadEvent Event, TimeSpan EventTime)
{
    /// <summary>Start of the frame.</summary>
    public TimeSpan Start => TimeSpan.FromTicks(FrameIndex * VadStateMachine.FrameDuration.Ticks);

    /// <summary>End of the frame (the time at which the verdict is available).</summary>
    public TimeSpan End => TimeSpan.FromTicks((FrameIndex + 1) * VadStateMachine.FrameDuration.Ticks);

    /// <summary>Whether speech is confirmed and not yet stopped (<see cref="VadState.Speaking"/> or <see cref="VadState.Stopping"/>).</summary>
    public bool InSpeech => State is VadState.Speaking or VadState.Stopping;
}
