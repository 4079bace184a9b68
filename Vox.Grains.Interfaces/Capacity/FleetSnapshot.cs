namespace Vox.Grains.Capacity;

/// <summary>A pool's workers and slot counts at one instant of the store's clock.</summary>
public sealed record FleetSnapshot(string Pool, DateTimeOffset TakenAt, int Total, int Idle, int Reserved, int Busy, IReadOnlyList<WorkerSlot> Workers);
