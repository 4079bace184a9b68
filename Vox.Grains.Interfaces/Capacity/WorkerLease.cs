using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>A registration's terms: heartbeat at least every <see cref="HeartbeatIntervalMs"/> or be reaped after <see cref="TtlMs"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerLease(string WorkerId, string Pool, long TtlMs, long HeartbeatIntervalMs, DateTimeOffset ExpiresAt);
