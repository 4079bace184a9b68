namespace Vox.Grains.Cluster;

/// <summary>One silo of Orleans membership: its address (<c>ip:port@generation</c>), status in Orleans' words (Active, Dead...), name and start time.</summary>
public sealed record OrleansSiloInfo(string Address, string SiloName, string HostName, string Status, DateTimeOffset? StartedAt, bool IsThisSilo);
