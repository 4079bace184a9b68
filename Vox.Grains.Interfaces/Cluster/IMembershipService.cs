namespace Vox.Grains.Cluster;

/// <summary>The membership table: which silos are alive, by heartbeat and TTL on the store's clock.</summary>
public interface IMembershipService
{
    /// <summary>Adds or refreshes a silo's row.</summary>
    Task<SiloInfo> RegisterAsync(SiloRegistration registration, CancellationToken cancellationToken);

    /// <summary>Extends the silo's TTL; false when its row was removed (it must register again).</summary>
    Task<bool> HeartbeatAsync(string siloId, CancellationToken cancellationToken);

    /// <summary>Marks the silo as left (clean shutdown).</summary>
    Task LeaveAsync(string siloId, CancellationToken cancellationToken);

    /// <summary>Silos with their status as of now; dead ones are kept for a while for the dashboard.</summary>
    Task<IReadOnlyList<SiloInfo>> ListAsync(CancellationToken cancellationToken);
}
