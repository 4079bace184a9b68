namespace Vox.Grains.Cluster;

/// <summary>The Orleans cluster as this silo sees it: its identity and the silos in Orleans membership.</summary>
public interface IOrleansClusterView
{
    /// <summary>Cluster identity and this silo's endpoint; null where no Orleans silo runs in the process (gateway-only test hosts).</summary>
    OrleansClusterInfo? Cluster { get; }

    /// <summary>Every silo in the Orleans membership table, dead ones included until Orleans cleans them up.</summary>
    Task<IReadOnlyList<OrleansSiloInfo>> ListSilosAsync(CancellationToken cancellationToken);
}
