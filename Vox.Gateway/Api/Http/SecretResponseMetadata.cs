namespace Vox.Gateway.Api.Http;

/// <summary>
/// Marks an endpoint whose success response holds a secret shown once (a new API key). The idempotency filter then
/// stores, instead of the response, a 409 telling the client the request already ran, so no plaintext secret is kept.
/// </summary>
internal sealed class SecretResponseMetadata
{
    /// <summary>The shared instance.</summary>
    public static SecretResponseMetadata Instance { get; } = new();
}
