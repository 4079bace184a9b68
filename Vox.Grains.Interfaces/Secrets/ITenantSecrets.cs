namespace Vox.Grains.Secrets;

/// <summary>A tenant's provider keys and tool secrets, encrypted at rest; values are never listed back.</summary>
public interface ITenantSecrets
{
    /// <summary>Stores (or replaces) secret <paramref name="name"/> of the tenant.</summary>
    Task<TenantSecretInfo> SetAsync(string tenantId, string name, string value, CancellationToken cancellationToken);

    /// <summary>The names of the tenant's secrets, without values.</summary>
    Task<IReadOnlyList<TenantSecretInfo>> ListAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Removes a secret; <see cref="NotFoundException"/> when missing.</summary>
    Task DeleteAsync(string tenantId, string name, CancellationToken cancellationToken);

    /// <summary>Every secret of the tenant, decrypted (cluster-internal: the worker running the tenant's call).</summary>
    Task<TenantSecretSet> RevealAsync(string tenantId, CancellationToken cancellationToken);
}
