namespace Vox.Grains.Tenants;

/// <summary>A newly created key: <see cref="Key"/> is the only copy of the secret.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);
