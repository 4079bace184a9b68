namespace Vox.Grains.Cluster;

/// <summary>The view where no Orleans silo runs in the process: no cluster, no silos.</summary>
public sealed class NoOrleansClusterView : IOrleansClusterView
{
    /// <inheritdoc />
    public OrleansClusterInfo? Cluster => null;

    /// <inheritdoc />
    public Task<IReadOnlyList<OrleansSiloInfo>> ListSilosAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<OrleansSiloInfo>>([]);
}
