namespace Vox.Gateway.Api.Contracts;

/// <summary>
/// The default pool's slots (live totals and every registered worker) and, for admins, the silos of Orleans membership
/// (<see cref="OrleansCluster"/> and <see cref="Silos"/> are null for other callers and where no Orleans silo runs).
/// </summary>
public sealed record FleetResponse(
    string Pool, DateTimeOffset TakenAt, int Total, int Idle, int Reserved, int Busy, IReadOnlyList<FleetWorkerResponse> Workers,
    string? OrleansCluster = null, IReadOnlyList<FleetSiloResponse>? Silos = null);
