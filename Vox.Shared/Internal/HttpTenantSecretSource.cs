using Vox.Grains.Secrets;

namespace Vox.Grains.Internal;

/// <summary>Fetches a tenant's decrypted secrets over the internal API, for the call the worker is about to run.</summary>
public sealed class HttpTenantSecretSource(ClusterHttpClient client) : ITenantSecretSource
{
    /// <inheritdoc />
    public async Task<TenantSecretSet> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        new(await client.SendAsync<Dictionary<string, string>>(HttpMethod.Get, InternalApi.TenantSecrets(tenantId), null, cancellationToken).ConfigureAwait(false));
}
