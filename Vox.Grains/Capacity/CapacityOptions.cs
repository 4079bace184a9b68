using System.ComponentModel.DataAnnotations;

namespace Vox.Grains.Capacity;

/// <summary>The <c>Fleet</c> section: slot TTLs, reaping and how capacity is shared between inbound and outbound.</summary>
public sealed class CapacityOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Fleet";

    /// <summary>Pool that workers join and calls reserve from when none is named.</summary>
    [Required]
    public string DefaultPool { get; set; } = "default";

    /// <summary>A worker that has not heartbeated for this long is reaped.</summary>
    [Range(500, 600_000)]
    public int WorkerTtlMs { get; set; } = 15_000;

    /// <summary>How often workers are told to heartbeat (must be well under the TTL).</summary>
    [Range(100, 300_000)]
    public int HeartbeatIntervalMs { get; set; } = 1_000;

    /// <summary>A reservation whose call has not attached within this long is freed.</summary>
    [Range(500, 600_000)]
    public int ReservationTtlMs { get; set; } = 60_000;

    /// <summary>How often each pool grain removes lapsed workers and reservations (a grain timer).</summary>
    [Range(100, 600_000)]
    public int ReaperPeriodMs { get; set; } = 5_000;

    /// <summary>Share of a pool's slots kept free for inbound calls: outbound calls cannot take them.</summary>
    [Range(0.0, 1.0)]
    public double InboundReserveRatio { get; set; } = 0.2;

}
