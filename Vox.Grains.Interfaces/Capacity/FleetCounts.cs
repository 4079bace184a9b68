using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>
/// A pool's live slot counts at one instant of the store's clock, without the worker list. The counts are of workers that
/// can take calls; <see cref="NotReady"/> counts the live workers that registered as not ready.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FleetCounts(string Pool, DateTimeOffset TakenAt, int Total, int Idle, int Reserved, int Busy, int NotReady = 0);
