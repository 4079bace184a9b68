using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vox.Gateway.Sip.Messages;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>HTTP digest authentication for SIP (RFC 3261 section 22, RFC 2617 MD5, qop=auth): answers a 401/407 challenge.</summary>
public static class DigestCredentials
{
    /// <summary>
    /// The Authorization (or Proxy-Authorization) value answering <paramref name="challenge"/> (a WWW-Authenticate or
    /// Proxy-Authenticate value) for <paramref name="method"/> on <paramref name="uri"/>; null when it is not an MD5 digest challenge.
    /// </summary>
    public static string? Answer(string challenge, string method, string uri, string username, string password, string? cnonce = null)
    {
        if (!challenge.StartsWith("Digest", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var parameters = Parameters(challenge[6..]);
        if (!parameters.TryGetValue("realm", out var realm) || !parameters.TryGetValue("nonce", out var nonce))
        {
            return null;
        }

        var algorithm = parameters.GetValueOrDefault("algorithm") ?? "MD5";
        if (!algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var ha1 = Md5($"{username}:{realm}:{password}");
        var ha2 = Md5($"{method}:{uri}");
        var qop = parameters.GetValueOrDefault("qop")?.Split(',').Select(q => q.Trim()).FirstOrDefault(q => q.Equals("auth", StringComparison.OrdinalIgnoreCase));
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Digest username=\"{username}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm=MD5");
        if (qop is not null)
        {
            cnonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            const string nc = "00000001";
            builder.Append(CultureInfo.InvariantCulture, $", response=\"{Md5($"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")}\", qop=auth, nc={nc}, cnonce=\"{cnonce}\"");
        }
        else
        {
            builder.Append(CultureInfo.InvariantCulture, $", response=\"{Md5($"{ha1}:{nonce}:{ha2}")}\"");
        }

        if (parameters.TryGetValue("opaque", out var opaque))
        {
            builder.Append(CultureInfo.InvariantCulture, $", opaque=\"{opaque}\"");
        }

        return builder.ToString();
    }

    /// <summary>Which header carries the answer to a challenge in a response with <paramref name="status"/>.</summary>
    public static (string Challenge, string Answer) Headers(int status) => status == 407
        ? (SipHeaderNames.ProxyAuthenticate, SipHeaderNames.ProxyAuthorization)
        : (SipHeaderNames.WwwAuthenticate, SipHeaderNames.Authorization);

    private static Dictionary<string, string> Parameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in SipHeaders.SplitList(text))
        {
            var eq = part.IndexOf('=');
            if (eq > 0)
            {
                result[part[..eq].Trim()] = part[(eq + 1)..].Trim().Trim('"');
            }
        }

        return result;
    }

    private static string Md5(string text) =>
#pragma warning disable CA5351 // SIP digest (RFC 3261) is defined over MD5; it is what trunks speak.
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
