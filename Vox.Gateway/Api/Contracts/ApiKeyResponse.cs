using Vox.Grains.Tenants;

namespace Vox.Gateway.Api.Contracts;

/// <summary>An API key as listed: its visible prefix, never the secret.</summary>
public sealed record ApiKeyResponse(string Id, string Name, string Prefix, bool IsAdmin, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    internal static ApiKeyResponse From(ApiKeyInfo key) => new(key.Id, key.Name, key.Prefix, key.IsAdmin, key.CreatedAt, key.RevokedAt);
}
