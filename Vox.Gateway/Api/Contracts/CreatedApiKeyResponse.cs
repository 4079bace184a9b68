using Vox.Grains.Tenants;

namespace Vox.Gateway.Api.Contracts;

/// <summary>A key just created: <see cref="Key"/> is the plaintext secret, shown this once and stored only as a hash.</summary>
public sealed record CreatedApiKeyResponse(string Id, string TenantId, string Name, string Prefix, bool IsAdmin, DateTimeOffset CreatedAt, string Key)
{
    internal static CreatedApiKeyResponse From(CreatedApiKey created) =>
        new(created.Info.Id, created.Info.TenantId, created.Info.Name, created.Info.Prefix, created.Info.IsAdmin, created.Info.CreatedAt, created.Key);
}
