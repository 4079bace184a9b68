namespace Vox.Grains.Capacity;

/// <summary>A pool's live slot counts at one instant of the store's clock, without the worker list.</summary>
public sealed record FleetCounts(string Pool, DateTimeOffset TakenAt, int Total, int Idle, int Reserved, int Busy);
