namespace Vox.Gateway.Sip.Messages;

/// <summary>A SIP request: method, Request-URI, headers, body.</summary>
public sealed class SipRequest : SipMessage
{
    /// <summary>The method (<c>INVITE</c>, <c>BYE</c>...), case-sensitive as RFC 3261 says.</summary>
    public required string Method { get; init; }

    /// <summary>The Request-URI as written.</summary>
    public required string RequestUri { get; set; }

    /// <inheritdoc />
    public override string StartLine => $"{Method} {RequestUri} {Version}";
}
