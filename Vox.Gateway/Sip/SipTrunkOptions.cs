namespace Vox.Gateway.Sip;

/// <summary>One SIP trunk: where outbound calls go, which sources may send inbound calls, and its digest credentials.</summary>
public sealed class SipTrunkOptions
{
    /// <summary>Outbound proxy/registrar as <c>host:port</c> (UDP unless <see cref="Transport"/> says TCP).</summary>
    public string Address { get; set; } = "";

    /// <summary><c>udp</c> or <c>tcp</c>.</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>Host for the Request-URI of outbound calls; empty means <see cref="Address"/>'s host.</summary>
    public string Domain { get; set; } = "";

    /// <summary>Source IP addresses (or CIDR ranges) inbound calls may come from; empty allows any.</summary>
    public List<string> AllowedSources { get; set; } = [];

    /// <summary>Digest user name, when the trunk challenges.</summary>
    public string? Username { get; set; }

    /// <summary>Digest password, when the trunk challenges (from configuration or environment, never committed).</summary>
    public string? Password { get; set; }
}
