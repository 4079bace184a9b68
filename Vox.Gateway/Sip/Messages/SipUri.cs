namespace Vox.Gateway.Sip.Messages;

/// <summary>A <c>sip:</c>, <c>sips:</c> or <c>tel:</c> URI: scheme, user, host, port, parameters (RFC 3261 section 19.1).</summary>
public sealed record SipUri(string Scheme, string? User, string Host, int? Port, IReadOnlyDictionary<string, string?> Parameters)
{
    /// <summary>The user part with %-escapes decoded (a dialled number), or null.</summary>
    public string? DecodedUser => User is null ? null : Uri.UnescapeDataString(User);

    /// <summary>Parses a URI; false when the scheme is unknown or the host part is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SipUri uri)
    {
        uri = null!;
        text = text.Trim();
        var colon = text.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        var scheme = text[..colon].ToString().ToLowerInvariant();
        var rest = text[(colon + 1)..];
        if (scheme == "tel")
        {
            var semi = rest.IndexOf(';');
            var number = semi < 0 ? rest : rest[..semi];
            if (number.IsEmpty || number.IndexOfAny(" \t<>\"") >= 0 || !SipParameters.TryParse(semi < 0 ? [] : rest[semi..], out var telParams))
            {
                return false;
            }

            uri = new SipUri(scheme, number.ToString(), "", null, telParams);
            return true;
        }

        if (scheme is not ("sip" or "sips") || rest.IndexOfAny(" \t<>\"") >= 0)
        {
            return false;
        }

        string? user = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            var password = userInfo.IndexOf(':');
            user = (password >= 0 ? userInfo[..password] : userInfo).ToString();
            if (user.Length == 0)
            {
                return false;
            }

            rest = rest[(at + 1)..];
        }

        // URI headers (?name=value) follow the host part; the user part may itself contain '?'.
        var headers = rest.IndexOf('?');
        if (headers >= 0)
        {
            rest = rest[..headers];
        }

        var paramStart = rest.IndexOf(';');
        var hostPort = paramStart < 0 ? rest : rest[..paramStart];
        if (!TryParseHostPort(hostPort, out var host, out var port) || !SipParameters.TryParse(paramStart < 0 ? [] : rest[paramStart..], out var parameters))
        {
            return false;
        }

        uri = new SipUri(scheme, user, host, port, parameters);
        return true;
    }

    /// <summary>Parses <c>host[:port]</c> with an IPv6 reference in brackets; false when malformed.</summary>
    public static bool TryParseHostPort(ReadOnlySpan<char> text, out string host, out int? port)
    {
        host = "";
        port = null;
        text = text.Trim();
        ReadOnlySpan<char> portText = [];
        var hasPort = false;
        if (text.StartsWith("["))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            host = text[..(close + 1)].ToString();
            var after = text[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    return false;
                }

                portText = after[1..];
                hasPort = true;
            }
        }
        else
        {
            var colon = text.IndexOf(':');
            host = (colon < 0 ? text : text[..colon]).ToString();
            if (colon >= 0)
            {
                portText = text[(colon + 1)..];
                hasPort = true;
            }

            foreach (var c in host)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
                {
                    return false;
                }
            }
        }

        if (host.Length == 0)
        {
            return false;
        }

        if (hasPort)
        {
            if (!SipToken.IsDigits(portText) || portText.Length > 5 || !int.TryParse(portText, out var p) || p is 0 or > 65535)
            {
                return false;
            }

            port = p;
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (Scheme == "tel")
        {
            return "tel:" + User + string.Concat(Parameters.Select(p => p.Value is null ? ";" + p.Key : $";{p.Key}={p.Value}"));
        }

        var text = Scheme + ":" + (User is null ? "" : User + "@") + Host + (Port is null ? "" : ":" + Port);
        foreach (var (name, value) in Parameters)
        {
            text += value is null ? ";" + name : $";{name}={value}";
        }

        return text;
    }
}
