namespace Vox.Grains.Capacity;

/// <summary>A row of the <c>workers</c> table.</summary>
internal sealed class WorkerRow
{
    public string WorkerId { get; set; } = "";
    public string Pool { get; set; } = "";
    public string Host { get; set; } = "";
    public string MediaUrl { get; set; } = "";
    public string? RtpAddress { get; set; }
    public string? Version { get; set; }
    public long TtlMs { get; set; }
    public long RegisteredAt { get; set; }
    public long HeartbeatAt { get; set; }
    public long ExpiresAt { get; set; }
    public string State { get; set; } = "idle";
    public string? CallId { get; set; }
    public string? TenantId { get; set; }
    public string? Direction { get; set; }
    public long? ReservationExpiresAt { get; set; }
    public bool Ready { get; set; } = true;
    public string? NotReadyReason { get; set; }
    public string? NotReadyFix { get; set; }

    public static WorkerSlotState ParseState(string state) => state switch
    {
        "idle" => WorkerSlotState.Idle,
        "reserved" => WorkerSlotState.Reserved,
        "busy" => WorkerSlotState.Busy,
        _ => WorkerSlotState.Gone,
    };
}
