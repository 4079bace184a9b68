namespace Vox.MediaWorker.Vad;

/// <summary>What a frame changed in the speech state; at most one per frame.</summary>
public enum VadEvent
{
    /// <summary>No change.</summary>
    None,

    /// <summary>Speech was confirmed; the event time is its onset (start of the first frame of the confirming run).</summary>
    SpeechStarted,

    /// <summary>Silence lasted the minimum silence; the event time is the offset (end of the last speech frame).</summary>
    SpeechStopped,
}
