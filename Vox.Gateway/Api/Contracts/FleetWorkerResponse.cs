using Vox.Grains.Capacity;

namespace Vox.Gateway.Api.Contracts;

/// <summary>
/// One worker slot. <see cref="CallId"/>, <see cref="TenantId"/> and <see cref="Direction"/> are shown only for the caller's
/// own calls (or to an admin); <see cref="MediaUrl"/> and <see cref="RtpAddress"/> only to an admin. A worker that is not
/// <see cref="Ready"/> takes no calls; <see cref="NotReadyReason"/> says why and <see cref="NotReadyFix"/> how to fix it.
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
    DateTimeOffset ExpiresAt,
    bool Ready,
    string? NotReadyReason,
    string? NotReadyFix);
