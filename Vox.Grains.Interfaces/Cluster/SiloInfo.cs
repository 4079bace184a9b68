namespace Vox.Grains.Cluster;

/// <summary>A membership row: <see cref="Status"/> is <c>active</c>, <c>dead</c> (TTL lapsed) or <c>left</c>.</summary>
public sealed record SiloInfo(string SiloId, string Host, string HttpUrl, string? Version, string Status, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, DateTimeOffset ExpiresAt);
