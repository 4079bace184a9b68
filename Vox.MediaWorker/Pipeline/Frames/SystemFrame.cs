namespace Vox.MediaWorker.Pipeline.Frames;

/// <summary>A frame that overtakes queued data frames (interruption, cancellation): processors handle it at once.</summary>
public abstract record SystemFrame : Frame;
