using System.Security.Cryptography;
using System.Text;

namespace Vox.Grains.Secrets;

/// <summary>
/// AES-256-GCM for tenant secrets: a fresh 12-byte nonce per value, the tenant and secret name as associated data (a
/// ciphertext copied to another tenant or name does not decrypt), and a key id (a hash prefix of the key) stored beside
/// it for rotation.
/// </summary>
public sealed class SecretCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly string? _currentId;

    /// <summary>Loads the keys; a malformed key is an error naming <c>Secrets:Key</c>.</summary>
    public SecretCipher(SecretsOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Key))
        {
            var key = Parse(options.Key, "Secrets:Key");
            _currentId = KeyId(key);
            _keys[_currentId] = key;
        }

        foreach (var (previous, i) in options.PreviousKeys.Select((k, i) => (k, i)))
        {
            var key = Parse(previous, $"Secrets:PreviousKeys:{i}");
            _keys.TryAdd(KeyId(key), key);
        }
    }

    /// <summary>Whether a current key is configured.</summary>
    public bool CanEncrypt => _currentId is not null;

    /// <summary>Encrypts <paramref name="value"/>; returns the key id and nonce|tag|ciphertext.</summary>
    public (string KeyId, byte[] Sealed) Encrypt(string tenantId, string name, string value)
    {
        if (_currentId is null)
        {
            throw new VoxException("secrets_key_missing",
                "Tenant secrets cannot be stored: set Secrets:Key (environment VOX__Secrets__Key) to base64 of 32 random bytes, e.g. `openssl rand -base64 32`.");
        }

        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_currentId], TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Associated(tenantId, name));
        return (_currentId, sealedBytes);
    }

    /// <summary>Decrypts a stored value; a clear error when its key is not configured or it was tampered with.</summary>
    public string Decrypt(string tenantId, string name, string keyId, byte[] sealedBytes)
    {
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new VoxException("secrets_key_unknown", $"Secret '{name}' was encrypted with key {keyId}, which is not in Secrets:Key or Secrets:PreviousKeys.");
        }

        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new VoxException("secret_corrupt", $"Secret '{name}' does not decrypt: it was altered or moved.");
        }

        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain, Associated(tenantId, name));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new VoxException("secret_corrupt", $"Secret '{name}' does not decrypt: it was altered or moved.");
        }

        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Associated(string tenantId, string name) => Encoding.UTF8.GetBytes(tenantId + "\n" + name);

    private static string KeyId(byte[] key) => Convert.ToHexString(SHA256.HashData(key).AsSpan(0, 4)).ToLowerInvariant();

    private static byte[] Parse(string base64, string setting)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{setting} is not base64; use base64 of 32 random bytes (`openssl rand -base64 32`).");
        }

        return key.Length == 32 ? key : throw new InvalidOperationException($"{setting} decodes to {key.Length} bytes; AES-256 needs 32.");
    }
}
