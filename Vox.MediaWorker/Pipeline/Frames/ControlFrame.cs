namespace Vox.MediaWorker.Pipeline.Frames;

/// <summary>A frame processed in order like data, but never dropped by an interruption (e.g. the end of the call).</summary>
public abstract record ControlFrame : Frame;
