namespace Vox.Grains.Secrets;

/// <summary>Where a worker gets the decrypted secrets of the tenant whose call it runs.</summary>
public interface ITenantSecretSource
{
    /// <summary>The tenant's secrets (empty when it has none).</summary>
    Task<TenantSecretSet> GetAsync(string tenantId, CancellationToken cancellationToken);
}
