using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>
/// A pool's workers and slot counts at one instant of the pool grain's clock. The counts are of workers that can take calls;
/// <see cref="NotReady"/> counts the live workers that registered as not ready (they are in <see cref="Workers"/> too).
/// <see cref="HostSilo"/> names the silo whose activation of the pool grain answered (the Vox silo id).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FleetSnapshot(string Pool, DateTimeOffset TakenAt, int Total, int Idle, int Reserved, int Busy, IReadOnlyList<WorkerSlot> Workers, int NotReady = 0,
    string? HostSilo = null);
