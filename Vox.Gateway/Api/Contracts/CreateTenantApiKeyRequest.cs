namespace Vox.Gateway.Api.Contracts;

/// <summary>Body of <c>POST /v1/tenants/{id}/api-keys</c> (admin).</summary>
public sealed record CreateTenantApiKeyRequest
{
    /// <summary>What the key is for, 1-200 characters.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the key may manage tenants.</summary>
    public bool IsAdmin { get; init; }
}
