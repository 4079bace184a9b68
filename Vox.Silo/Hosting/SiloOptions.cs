using System.ComponentModel.DataAnnotations;

namespace Vox.Silo.Hosting;

/// <summary>The <c>Silo</c> section: where this silo listens and how it shows itself to the cluster.</summary>
public sealed class SiloOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Silo";

    /// <summary>Kestrel URLs, separated by ';'.</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>URL other silos and workers use to reach this one; empty means the first listening URL.</summary>
    public string AdvertisedUrl { get; set; } = "";

    /// <summary>A silo that has not heartbeated for this long counts as dead.</summary>
    [Range(1000, 600_000)]
    public int MembershipTtlMs { get; set; } = 15_000;

    /// <summary>
    /// On SIGTERM/SIGINT the silo stops taking calls and lets live ones run this many seconds; calls still running then end
    /// as <c>silo_shutdown</c>.
    /// </summary>
    [Range(0, 3_600)]
    public int ShutdownGraceSeconds { get; set; } = 30;
}
