namespace Vox.MediaWorker;

/// <summary>Marker for the media worker assembly (the process host arrives with the media-worker issue).</summary>
public static class WorkerAssembly
{
}
