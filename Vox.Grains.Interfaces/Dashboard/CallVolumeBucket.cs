namespace Vox.Grains.Dashboard;

/// <summary>How many calls were created in one minute, by direction.</summary>
public sealed record CallVolumeBucket(DateTimeOffset Minute, int Inbound, int Outbound);
