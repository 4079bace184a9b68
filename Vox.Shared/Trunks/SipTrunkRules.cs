using System.Globalization;
using System.Net;

namespace Vox.Grains.Trunks;

/// <summary>What a stored SIP trunk's fields may be; the API reports every problem by field, the catalog refuses the first.</summary>
public static class SipTrunkRules
{
    /// <summary>Most allowed sources one trunk may list.</summary>
    public const int MaxAllowedSources = 50;

    /// <summary>Every problem with <paramref name="input"/>, as (field, message).</summary>
    public static IEnumerable<(string Field, string Message)> Problems(SipTrunkInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrEmpty(input.Name) || input.Name.Length > 64 || !input.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            yield return ("name", "Must be 1-64 letters, digits, '_' or '-'.");
        }

        if (SplitAddress(input.Address) is null)
        {
            yield return ("address", "Must be host or host:port (a host name, an IPv4 address or [IPv6]; port 1-65535), e.g. sip.carrier.example:5060.");
        }

        if (input.Transport is not null && NormalizeTransport(input.Transport) is null)
        {
            yield return ("transport", "Must be udp or tcp.");
        }

        if (!string.IsNullOrEmpty(input.Domain) && !IsHostName(input.Domain))
        {
            yield return ("domain", "Must be a host name, e.g. carrier.example.");
        }

        var sources = input.AllowedSources ?? [];
        if (sources.Count > MaxAllowedSources)
        {
            yield return ("allowedSources", $"At most {MaxAllowedSources} addresses or ranges.");
        }

        for (var i = 0; i < Math.Min(sources.Count, MaxAllowedSources); i++)
        {
            if (!IsSource(sources[i]))
            {
                yield return ($"allowedSources[{i}]", "Must be an IP address or a CIDR range, e.g. 203.0.113.10 or 203.0.113.0/24.");
            }
        }

        if (input.Username is { } user && (user.Length is 0 or > 128 || user.Any(c => char.IsControl(c) || c is '"' or ' ')))
        {
            yield return ("username", "Must be 1-128 characters without spaces, quotes or control characters.");
        }

        if (input.Password is { Length: > 0 } password)
        {
            if (password.Length > 256 || password.Any(char.IsControl))
            {
                yield return ("password", "Must be at most 256 characters without control characters.");
            }
            else if (input.Username is null)
            {
                yield return ("password", "A password needs a username.");
            }
        }
    }

    /// <summary><c>udp</c> or <c>tcp</c> from any case, or null.</summary>
    public static string? NormalizeTransport(string? transport) => transport?.Trim().ToLowerInvariant() switch
    {
        null or "" or "udp" => "udp",
        "tcp" => "tcp",
        _ => null,
    };

    /// <summary>Host and port of an address (<c>host</c>, <c>host:port</c>, <c>[v6]:port</c>), or null when it is not one.</summary>
    public static (string Host, int Port)? SplitAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 255)
        {
            return null;
        }

        string host;
        var portText = "";
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            host = address[1..close];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return null;
            }

            var rest = address[(close + 1)..];
            if (rest.Length > 0 && !rest.StartsWith(':'))
            {
                return null;
            }

            portText = rest.TrimStart(':');
        }
        else
        {
            var colon = address.LastIndexOf(':');
            host = colon < 0 ? address : address[..colon];
            portText = colon < 0 ? "" : address[(colon + 1)..];
            if (!IsHostName(host))
            {
                return null;
            }
        }

        if (portText.Length == 0)
        {
            return (host, 5060);
        }

        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? (host, port) : null;
    }

    private static bool IsHostName(string host) =>
        host.Length is > 0 and <= 253 && (IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            || host.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && label[0] != '-' && label[^1] != '-'));

    private static bool IsSource(string? source) => TryParseSource(source, out _);

    /// <summary>An allowed source as a network: a CIDR range, or one address (a /32 or /128). The gateway checks INVITEs with this.</summary>
    public static bool TryParseSource(string? source, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(source))
        {
            return false;
        }

        var text = source.Trim();
        if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }
}
