namespace Vox.Grains.Secrets;

/// <summary>
/// A tenant's decrypted secrets by name. <see cref="ToString"/> names the keys only, so a logged or formatted set never
/// shows a value.
/// </summary>
public sealed record TenantSecretSet(IReadOnlyDictionary<string, string> Values)
{
    /// <summary>No secrets.</summary>
    public static TenantSecretSet Empty { get; } = new(new Dictionary<string, string>());

    /// <summary>The secret <paramref name="name"/>, or null.</summary>
    public string? Get(string name) => Values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <inheritdoc />
    public override string ToString() => $"TenantSecretSet [{string.Join(", ", Values.Keys)}]";
}
