namespace Vox.Grains.Tenants;

/// <summary>Tenants and their API keys. Keys are stored only as hashes; the plaintext is returned once.</summary>
public interface ITenantDirectory
{
    /// <summary>On a store with no admin key yet, creates the admin tenant and key and returns the key (once); otherwise null.</summary>
    Task<CreatedApiKey?> EnsureBootstrapAsync(CancellationToken cancellationToken);

    /// <summary>Creates a tenant.</summary>
    Task<Tenant> CreateTenantAsync(string name, int? maxConcurrentCalls, CancellationToken cancellationToken);

    /// <summary>Changes a tenant's concurrency cap (null removes it).</summary>
    Task<Tenant> SetConcurrencyCapAsync(string tenantId, int? maxConcurrentCalls, CancellationToken cancellationToken);

    /// <summary>One tenant, or <see cref="NotFoundException"/>.</summary>
    Task<Tenant> GetTenantAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>All tenants (admin view).</summary>
    Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken);

    /// <summary>Creates a key for the tenant; the plaintext is in the result and nowhere else.</summary>
    Task<CreatedApiKey> CreateApiKeyAsync(string tenantId, string name, bool isAdmin, CancellationToken cancellationToken);

    /// <summary>The tenant's keys (prefixes, never secrets).</summary>
    Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Revokes one of the tenant's keys; <see cref="NotFoundException"/> if it is not theirs.</summary>
    Task<ApiKeyInfo> RevokeApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken);

    /// <summary>The principal for a presented key, or null when it is unknown, malformed or revoked.</summary>
    Task<ApiPrincipal?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken);
}
