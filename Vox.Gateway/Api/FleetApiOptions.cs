using System.ComponentModel.DataAnnotations;

namespace Vox.Gateway.Api;

/// <summary>What the API reads from the <c>Fleet</c> section (the grains own the rest of it).</summary>
public sealed class FleetApiOptions
{
    /// <summary>Configuration section name, shared with the capacity grain's options.</summary>
    public const string Section = "Fleet";

    /// <summary>The pool <c>GET /v1/fleet</c> shows; the same default as the capacity grain's.</summary>
    [Required]
    public string DefaultPool { get; set; } = "default";
}
