using System.ComponentModel.DataAnnotations;

namespace Vox.Grains.Campaigns;

/// <summary>Campaign pacing and lease timings (section <c>Campaigns</c>).</summary>
public sealed class CampaignOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Campaigns";

    /// <summary>How often the lease holder's reminder ticks; default 2 s.</summary>
    [Range(100, 60_000)]
    public int TickIntervalMs { get; set; } = 2_000;

    /// <summary>How long a lease lasts unless renewed by a tick; another silo takes over after it lapses. Default 10 s.</summary>
    [Range(500, 300_000)]
    public int LeaseTtlMs { get; set; } = 10_000;

    /// <summary>An attempt claimed under an older epoch with no call after this long was never placed (its silo died); default 30 s.</summary>
    [Range(1_000, 600_000)]
    public int OrphanAfterMs { get; set; } = 30_000;

    /// <summary>Most contacts one CSV import may hold; default 100,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxContactsPerImport { get; set; } = 100_000;

    /// <summary>Largest CSV body accepted, in bytes (413 above); default 16 MiB.</summary>
    [Range(1_024, 1_073_741_824)]
    public long MaxImportBytes { get; set; } = 16 * 1024 * 1024;
}
