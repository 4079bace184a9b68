namespace Vox.Grains.Calls;

/// <summary>Lifecycle of a call; only forward moves are allowed.</summary>
public enum CallState
{
    /// <summary>Created, slot reserved, not yet ringing.</summary>
    Queued,
    /// <summary>The far end is being alerted.</summary>
    Ringing,
    /// <summary>Media is flowing between caller and bot.</summary>
    InProgress,
    /// <summary>Terminal.</summary>
    Ended,
}
