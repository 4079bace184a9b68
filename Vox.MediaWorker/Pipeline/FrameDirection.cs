namespace Vox.MediaWorker.Pipeline;

/// <summary>Which way a frame travels: downstream from the caller towards the output, or back upstream.</summary>
public enum FrameDirection
{
    /// <summary>Towards the transport output.</summary>
    Downstream,
    /// <summary>Back towards the transport input.</summary>
    Upstream,
}
