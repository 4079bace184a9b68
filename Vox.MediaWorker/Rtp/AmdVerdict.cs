namespace Vox.MediaWorker.Rtp;

/// <summary>What answered an outbound call.</summary>
public enum AmdVerdict
{
    /// <summary>Not decided yet: keep feeding audio.</summary>
    Undecided,
    /// <summary>A person (a short greeting then a pause, or silence until the limit).</summary>
    Human,
    /// <summary>An answering machine (a long greeting, or a beep).</summary>
    Machine,
}
