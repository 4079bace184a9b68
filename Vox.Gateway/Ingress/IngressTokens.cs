using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vox.Gateway.Ingress;

/// <summary>
/// Signed ingress tokens: <c>{expiry unix seconds}.{base64url HMAC-SHA256(secret, "{botId}.{expiry}")}</c>. They let a URL
/// carry proof of the bot's secret without the secret itself, for carriers and browsers that cannot send headers.
/// </summary>
public static class IngressTokens
{
    /// <summary>A token for <paramref name="botId"/> valid until <paramref name="expires"/>.</summary>
    public static string Sign(string secret, string botId, DateTimeOffset expires)
    {
        var exp = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return exp + "." + Base64Url(Mac(secret, botId, exp));
    }

    /// <summary>True when <paramref name="token"/> was signed with <paramref name="secret"/> for <paramref name="botId"/> and has not expired.</summary>
    public static bool Verify(string secret, string botId, string token, DateTimeOffset now)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var exp) || exp < now.ToUnixTimeSeconds())
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Base64Url(Mac(secret, botId, token[..dot])));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(token[(dot + 1)..]));
    }

    private static byte[] Mac(string secret, string botId, string exp) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(botId + "." + exp));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
