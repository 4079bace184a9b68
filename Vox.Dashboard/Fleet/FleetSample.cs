namespace Vox.Dashboard.Fleet;

/// <summary>Slots registered and slots in use (reserved or busy) at one instant.</summary>
public sealed record FleetSample(DateTimeOffset At, int Capacity, int Active);
