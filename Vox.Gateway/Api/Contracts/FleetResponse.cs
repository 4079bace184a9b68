namespace Vox.Gateway.Api.Contracts;

/// <summary>
/// The default pool's slots (live totals of the workers that take calls, how many registered as not ready: they take
/// none, each one's reason is in <see cref="Workers"/>; and every registered worker) and, for admins, the silos of
/// Orleans membership (<see cref="OrleansCluster"/> and <see cref="Silos"/> are null for other callers and where no
/// Orleans silo runs).
/// </summary>
public sealed record FleetResponse(
    string Pool, DateTimeOffset TakenAt, int Total, int Idle, int Reserved, int Busy, IReadOnlyList<FleetWorkerResponse> Workers, int NotReady,
    string? OrleansCluster = null, IReadOnlyList<FleetSiloResponse>? Silos = null);
