namespace Vox.Grains.Cluster;

/// <summary>The Orleans cluster a silo belongs to, and where its Orleans dashboard is (null when not mapped).</summary>
public sealed record OrleansClusterInfo(string ClusterId, string ServiceId, string Clustering, string SiloAddress, string SiloName, string? DashboardPath);
