namespace Vox.MediaWorker.Pipeline.Frames;

/// <summary>A frame processed in order; queued data frames are dropped when an interruption passes.</summary>
public abstract record DataFrame : Frame;
