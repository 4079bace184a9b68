using System.ComponentModel.DataAnnotations;

namespace Vox.Gateway.Agi;

/// <summary>The <c>Agi</c> section: the FastAGI server Asterisk dialplans call to route a number to its Vox bot.</summary>
public sealed class AgiOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Agi";

    /// <summary>False turns the FastAGI server off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address to listen on.</summary>
    [Required]
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>TCP port (Asterisk's default is 4573); 0 picks a free one. Defaults to <c>Ports:Agi</c>.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 4573;

    /// <summary>Host[:port] of Vox's SIP listener written into <c>VOX_SIP_URI</c>; empty means the SIP advertised host and port.</summary>
    public string SipTarget { get; set; } = "";

    /// <summary>Seconds a connection may take to send its header block or answer a command.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;
}
