namespace Vox.Silo.Hosting;

/// <summary>
/// The <c>Orleans</c> section of <c>orleans.config.json</c>: the Orleans cluster this silo joins, its ports, and the membership
/// timings. Checked at start by <see cref="OrleansOptionsValidator"/>, whose messages name the bad key.
/// </summary>
public sealed class OrleansOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Orleans";

    /// <summary>Silos with the same ClusterId on the same store form one cluster. Default: the top-level <c>ClusterId</c>, else <c>vox-local</c>.</summary>
    public string ClusterId { get; set; } = "vox-local";

    /// <summary>Names the service across deployments (Orleans keys durable state by it). Default: the top-level <c>ServiceId</c>, else <c>vox</c>.</summary>
    public string ServiceId { get; set; } = "vox";

    /// <summary>TCP port for silo-to-silo traffic. Default 11111; every silo on one host needs its own.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>TCP port for Orleans clients; 0 (default) opens none: media workers reach silos over HTTP, not as Orleans clients.</summary>
    public int GatewayPort { get; set; }

    /// <summary>IP address other silos use to reach this one. Empty: 127.0.0.1 on SQLite (one silo); the host's address on PostgreSQL.</summary>
    public string AdvertisedIPAddress { get; set; } = "";

    /// <summary>Listen on every interface instead of only the advertised address (behind NAT or in a container). Default false.</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>Map the Orleans dashboard into the silo, behind the Vox dashboard's admin sign-in. Default true.</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>Failure detection; the defaults declare a dead silo in about 2 s on a LAN (docs/orleans.md).</summary>
    public OrleansMembershipOptions Membership { get; set; } = new();
}
