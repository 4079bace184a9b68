namespace Vox.Gateway.Api.Contracts;

/// <summary>The default pool's slots: live totals and every registered worker.</summary>
public sealed record FleetResponse(string Pool, DateTimeOffset TakenAt, int Total, int Idle, int Reserved, int Busy, IReadOnlyList<FleetWorkerResponse> Workers);
