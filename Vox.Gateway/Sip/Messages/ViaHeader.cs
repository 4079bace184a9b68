namespace Vox.Gateway.Sip.Messages;

/// <summary>One Via value: transport, sent-by host and port, branch, received and rport (RFC 3261 section 20.42, RFC 3581).</summary>
public sealed record ViaHeader(string Transport, string Host, int? Port, IReadOnlyDictionary<string, string?> Parameters)
{
    /// <summary>The RFC 3261 magic cookie every compliant branch starts with.</summary>
    public const string MagicCookie = "z9hG4bK";

    /// <summary>The branch parameter, or null.</summary>
    public string? Branch => Parameters.TryGetValue("branch", out var b) ? b : null;

    /// <summary>True when the sender asked for rport.</summary>
    public bool HasRport => Parameters.ContainsKey("rport");

    /// <summary>Parses <c>SIP/2.0/UDP host:port;branch=...</c>; false when malformed.</summary>
    public static bool TryParse(string? value, out ViaHeader via)
    {
        via = null!;
        if (value is null)
        {
            return false;
        }

        var text = value.AsSpan().Trim();
        var semi = text.IndexOf(';');
        var sent = semi < 0 ? text : text[..semi];
        var slash1 = sent.IndexOf('/');
        if (slash1 < 0 || !sent[..slash1].Trim().Equals("SIP", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = sent[(slash1 + 1)..].TrimStart();
        var slash2 = rest.IndexOf('/');
        if (slash2 < 0 || rest[..slash2].Trim().IsEmpty)
        {
            return false;
        }

        rest = rest[(slash2 + 1)..].TrimStart();
        var space = rest.IndexOfAny(' ', '\t');
        if (space <= 0)
        {
            return false;
        }

        var transport = rest[..space];
        if (!SipToken.IsToken(transport) || !SipUri.TryParseHostPort(rest[space..], out var host, out var port)
            || !SipParameters.TryParse(semi < 0 ? [] : text[semi..], out var ps))
        {
            return false;
        }

        via = new ViaHeader(transport.ToString().ToUpperInvariant(), host, port, ps);
        return true;
    }
}
