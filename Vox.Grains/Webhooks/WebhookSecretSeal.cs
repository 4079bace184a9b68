using Vox.Grains.Secrets;

namespace Vox.Grains.Webhooks;

/// <summary>
/// How a webhook's signing secret is kept in <c>webhook_endpoints.secret</c>. Every silo must sign with it, so it cannot
/// be hashed. With <c>Secrets:Key</c> set it is encrypted like tenant secrets (<see cref="SecretCipher"/>: AES-256-GCM
/// bound to the tenant and the endpoint id) and stored as <c>enc:&lt;key id&gt;:&lt;base64&gt;</c>; without a key it
/// stays plain text, as it was before this existed.
/// </summary>
internal static class WebhookSecretSeal
{
    private const string Prefix = "enc:";

    /// <summary>What to store for <paramref name="secret"/>.</summary>
    public static string Seal(SecretCipher cipher, string tenantId, string endpointId, string secret)
    {
        if (!cipher.CanEncrypt)
        {
            return secret;
        }

        var (keyId, sealedBytes) = cipher.Encrypt(tenantId, Name(endpointId), secret);
        return $"{Prefix}{keyId}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>Whether <paramref name="stored"/> is encrypted.</summary>
    public static bool IsSealed(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The secret from what was stored; a <see cref="VoxException"/> naming the key when it cannot be decrypted here.</summary>
    public static string Open(SecretCipher cipher, string tenantId, string endpointId, string stored)
    {
        if (!IsSealed(stored))
        {
            return stored;
        }

        var colon = stored.IndexOf(':', Prefix.Length);
        var sealedBytes = new byte[stored.Length];
        if (colon < 0 || !Convert.TryFromBase64String(stored[(colon + 1)..], sealedBytes, out var length))
        {
            throw new VoxException("secret_corrupt", $"The signing secret of webhook {endpointId} is not in the stored form; create the endpoint again.");
        }

        return cipher.Decrypt(tenantId, Name(endpointId), stored[Prefix.Length..colon], sealedBytes[..length]);
    }

    private static string Name(string endpointId) => "webhook:" + endpointId;
}
