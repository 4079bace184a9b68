namespace Vox.Grains.Tenants;

/// <summary>An API key as listed: its id and visible prefix, never the secret.</summary>
public sealed record ApiKeyInfo(string Id, string TenantId, string Name, string Prefix, bool IsAdmin, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
