namespace Vox.Grains.Net;

/// <summary>
/// <c>Egress</c>: where requests to URLs that tenants configure (webhook endpoints, custom HTTP tools) may go. Link-local
/// addresses (cloud metadata services such as 169.254.169.254), unspecified, multicast and broadcast addresses are always
/// refused; <see cref="BlockPrivateNetworks"/> also refuses loopback and private ranges, as a multi-tenant deployment should.
/// </summary>
public sealed class EgressOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Egress";

    /// <summary>
    /// Refuse loopback (127.0.0.0/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7), shared (100.64/10) and
    /// 0.0.0.0/8 addresses too. Off by default: a single-operator install often points webhooks at its own network.
    /// </summary>
    public bool BlockPrivateNetworks { get; set; }

    /// <summary>Networks (CIDR, e.g. <c>10.1.2.0/24</c> or <c>10.1.2.3/32</c>) allowed even when the rules above would refuse them.</summary>
    public List<string> AllowedNetworks { get; set; } = [];
}
