using System.ComponentModel.DataAnnotations;

namespace Vox.Silo.Hosting;

/// <summary>Local media workers the silo starts and supervises (the embedded, single-host setup).</summary>
public sealed class LocalWorkerOptions
{
    /// <summary>How many worker processes to run on this host (<c>Fleet:LocalWorkers</c>); 0 runs none.</summary>
    [Range(0, 256)]
    public int LocalWorkers { get; set; } = 4;

    /// <summary>First worker's port; worker i listens on base + i. 0 lets each worker take any free port (it registers the one it got).</summary>
    [Range(0, 65000)]
    public int LocalWorkerBasePort { get; set; } = 5101;

    /// <summary>Path of Vox.MediaWorker.dll; empty finds the one built next to the silo.</summary>
    public string WorkerAssembly { get; set; } = "";

    /// <summary>Pool the local workers join.</summary>
    public string DefaultPool { get; set; } = "default";
}
