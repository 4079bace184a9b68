using System.Net;

namespace Vox.Gateway.Sip.Transport;

/// <summary>Where a message came from or goes to: the protocol (<c>UDP</c>/<c>TCP</c>) and the peer's address.</summary>
public sealed record SipRemote(string Protocol, IPEndPoint EndPoint)
{
    /// <summary>True for a datagram transport (retransmissions apply).</summary>
    public bool IsUnreliable => Protocol == "UDP";

    /// <inheritdoc />
    public override string ToString() => $"{Protocol}:{EndPoint}";
}
