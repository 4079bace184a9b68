namespace Vox.Grains.Capacity;

/// <summary>The row <c>vox_reserve</c> returns (the SQLite path builds the same); <c>vox_reserve_batch</c> adds its index.</summary>
internal sealed class ReserveRow
{
    public int RIndex { get; set; }
    public string ROutcome { get; set; } = "no_capacity";
    public string? RWorkerId { get; set; }
    public string? RHost { get; set; }
    public string? RMediaUrl { get; set; }
    public string? RRtpAddress { get; set; }
    public long? RReservationExpiresAt { get; set; }
    public long? RCount { get; set; }

    public static ReserveRow Granted(WorkerRow w) => new()
    {
        ROutcome = "granted", RWorkerId = w.WorkerId, RHost = w.Host, RMediaUrl = w.MediaUrl, RRtpAddress = w.RtpAddress, RReservationExpiresAt = w.ReservationExpiresAt,
    };
}
