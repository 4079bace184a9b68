namespace Vox.Grains.Secrets;

/// <summary>
/// The <c>Secrets</c> section: the AES-256 key that encrypts tenant secrets at rest, base64 of 32 random bytes, from
/// configuration or the environment (<c>VOX__Secrets__Key</c>), never from a committed file. Older keys may stay listed
/// in <see cref="PreviousKeys"/> so secrets written under them can still be read after a rotation.
/// </summary>
public sealed class SecretsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Secrets";

    /// <summary>Current key (base64, 32 bytes); empty means tenant secrets cannot be stored.</summary>
    public string? Key { get; set; }

    /// <summary>Earlier keys (base64), still accepted for reading.</summary>
    public List<string> PreviousKeys { get; set; } = [];
}
