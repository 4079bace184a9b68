namespace Vox.MediaWorker.Vad;

/// <summary>Where the debouncing state machine of a voice activity detector stands after a frame.</summary>
public enum VadState
{
    /// <summary>No speech; waiting for a frame that scores at or above the start threshold.</summary>
    Silence,

    /// <summary>A run of speech-like frames has begun but has not yet lasted the minimum speech duration.</summary>
    Starting,

    /// <summary>Speech confirmed and the latest frame is speech.</summary>
    Speaking,

    /// <summary>Speech confirmed but the latest frames are silence (the hangover); speech stops if it lasts the minimum silence.</summary>
    Stopping,
}
