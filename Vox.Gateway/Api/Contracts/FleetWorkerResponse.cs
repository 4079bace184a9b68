using Vox.Grains.Capacity;

namespace Vox.Gateway.Api.Contracts;

/// <summary>
/// One worker slot. <see cref="CallId"/>, <see cref="TenantId"/> and <see cref="Direction"/> are shown only for the caller's
/// own calls (or to an admin); <see cref="MediaUrl"/> and <see cref="RtpAddress"/> only to an admin.
/// </summary>
public sealed record FleetWorkerResponse(
    string WorkerId,
    string Host,
    string? Version,
    WorkerSlotState State,
    string? CallId,
    string? TenantId,
    CallDirection? Direction,
    string? MediaUrl,
    string? RtpAddress,
    DateTimeOffset RegisteredAt,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset ExpiresAt);
