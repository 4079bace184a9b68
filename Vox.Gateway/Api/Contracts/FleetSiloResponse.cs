namespace Vox.Gateway.Api.Contracts;

/// <summary>One silo of Orleans membership: <c>ip:port@generation</c>, Orleans status (Active, Joining, ShuttingDown, Dead...), name and start time.</summary>
public sealed record FleetSiloResponse(string Address, string SiloName, string HostName, string Status, DateTimeOffset? StartedAt, bool IsThisSilo);
