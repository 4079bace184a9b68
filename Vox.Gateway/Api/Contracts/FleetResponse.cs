namespace Vox.Gateway.Api.Contracts;

/// <summary>
/// The default pool's slots: live totals of the workers that take calls, how many registered as not ready (they take
/// none; each one's reason is in <see cref="Workers"/>), and every registered worker.
/// </summary>
public sealed record FleetResponse(string Pool, DateTimeOffset TakenAt, int Total, int Idle, int Reserved, int Busy, IReadOnlyList<FleetWorkerResponse> Workers, int NotReady);
