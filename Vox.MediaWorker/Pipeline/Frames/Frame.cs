namespace Vox.MediaWorker.Pipeline.Frames;

/// <summary>Everything that moves through a call pipeline is a frame: immutable once pushed.</summary>
public abstract record Frame;
