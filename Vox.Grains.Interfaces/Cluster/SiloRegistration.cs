namespace Vox.Grains.Cluster;

/// <summary>What a silo announces when it joins.</summary>
public sealed record SiloRegistration(string SiloId, string Host, string HttpUrl, long TtlMs, string? Version);
