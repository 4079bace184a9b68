using System.ComponentModel.DataAnnotations;

namespace Vox.Gateway.Ingress;

/// <summary>The <c>Ingress</c> section: WebSocket call ingress (Exotel, Twilio, Vonage, iCallMate, browser widget).</summary>
public sealed class IngressOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Ingress";

    /// <summary>Worker pool inbound WebSocket calls reserve a slot in (default <c>default</c>).</summary>
    [Required]
    public string Pool { get; set; } = "default";

    /// <summary>
    /// Public base URL carriers reach the gateway at (e.g. <c>https://vox.example.com</c>), used in the URLs the helper
    /// endpoints hand out; empty means the scheme and host of the request that asked.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>How long the gateway waits for the reserved worker's media socket to open (default 5000 ms).</summary>
    [Range(100, 60_000)]
    public int WorkerConnectTimeoutMs { get; set; } = 5_000;

    /// <summary>Lifetime of the signed tokens in URLs the gateway hands out (default 30 days).</summary>
    [Range(1, 525_600)]
    public int TokenLifetimeMinutes { get; set; } = 43_200;

    /// <summary>Receive buffer per direction of a proxied call (default 16 KiB; larger messages pass in fragments).</summary>
    [Range(1024, 1 << 20)]
    public int ProxyBufferBytes { get; set; } = 16 * 1024;
}
