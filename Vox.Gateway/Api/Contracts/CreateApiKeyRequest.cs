namespace Vox.Gateway.Api.Contracts;

/// <summary>Body of <c>POST /v1/api-keys</c>: a key for the caller's own tenant, never an admin key.</summary>
public sealed record CreateApiKeyRequest
{
    /// <summary>What the key is for, 1-200 characters.</summary>
    public required string Name { get; init; }
}
