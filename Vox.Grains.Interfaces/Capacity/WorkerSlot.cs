using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>One registered worker slot as the fleet view shows it; a slot that is not <see cref="Ready"/> is never reserved.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerSlot(
    string WorkerId,
    string Pool,
    string Host,
    string MediaUrl,
    string? RtpAddress,
    string? Version,
    WorkerSlotState State,
    string? CallId,
    string? TenantId,
    CallDirection? Direction,
    DateTimeOffset RegisteredAt,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset ExpiresAt,
    bool Ready = true,
    string? NotReadyReason = null,
    string? NotReadyFix = null);
