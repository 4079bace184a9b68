using System.ComponentModel.DataAnnotations;

namespace Vox.Dashboard.Fleet;

/// <summary>What the dashboard reads from the <c>Fleet</c> section (the grains own the rest of it).</summary>
public sealed class DashboardPoolOptions
{
    /// <summary>Configuration section name, shared with the capacity grain's options.</summary>
    public const string Section = "Fleet";

    /// <summary>The pool the fleet page shows.</summary>
    [Required]
    public string DefaultPool { get; set; } = "default";
}
