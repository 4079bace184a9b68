using Dapper;
using Vox.Grains.Store;

namespace Vox.Grains.Secrets;

/// <summary>Tenant secrets on the store, encrypted with <see cref="SecretCipher"/>; also the silo side of the worker's secret source.</summary>
public sealed class TenantSecretStore(IGrainStore store, SecretCipher cipher) : ITenantSecrets, ITenantSecretSource
{
    /// <inheritdoc />
    public Task<TenantSecretInfo> SetAsync(string tenantId, string name, string value, CancellationToken cancellationToken)
    {
        var (keyId, sealedBytes) = cipher.Encrypt(tenantId, name, value);
        return store.WriteAsync(async (c, t, ct) =>
        {
            var updatedAt = await c.ExecuteScalarAsync<long>(new CommandDefinition(store.Sql("""
                INSERT INTO tenant_secrets (tenant_id, name, key_id, ciphertext, updated_at) VALUES (@TenantId, @Name, @KeyId, @Sealed, {now})
                ON CONFLICT (tenant_id, name) DO UPDATE SET key_id = excluded.key_id, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at
                RETURNING updated_at
                """), new { TenantId = tenantId, Name = name, KeyId = keyId, Sealed = sealedBytes }, t, cancellationToken: ct)).ConfigureAwait(false);
            return new TenantSecretInfo(name, DateTimeOffset.FromUnixTimeMilliseconds(updatedAt));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TenantSecretInfo>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        store.ReadAsync(async (c, ct) => (IReadOnlyList<TenantSecretInfo>)(await c.QueryAsync<(string Name, long UpdatedAt)>(new CommandDefinition(
            "SELECT name, updated_at FROM tenant_secrets WHERE tenant_id = @TenantId ORDER BY name", new { TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false))
            .Select(r => new TenantSecretInfo(r.Name, DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt))).ToList(), cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(string tenantId, string name, CancellationToken cancellationToken) =>
        store.WriteAsync(async (c, t, ct) =>
        {
            var deleted = await c.ExecuteAsync(new CommandDefinition("DELETE FROM tenant_secrets WHERE tenant_id = @TenantId AND name = @Name",
                new { TenantId = tenantId, Name = name }, t, cancellationToken: ct)).ConfigureAwait(false);
            return deleted > 0 ? true : throw new NotFoundException("secret", name);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<TenantSecretSet> RevealAsync(string tenantId, CancellationToken cancellationToken)
    {
        var rows = await store.ReadAsync(async (c, ct) => (await c.QueryAsync<(string Name, string KeyId, byte[] Ciphertext)>(new CommandDefinition(
            "SELECT name, key_id, ciphertext FROM tenant_secrets WHERE tenant_id = @TenantId", new { TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false)).ToList(),
            cancellationToken).ConfigureAwait(false);
        return new TenantSecretSet(rows.ToDictionary(r => r.Name, r => cipher.Decrypt(tenantId, r.Name, r.KeyId, r.Ciphertext), StringComparer.Ordinal));
    }

    /// <inheritdoc />
    public Task<TenantSecretSet> GetAsync(string tenantId, CancellationToken cancellationToken) => RevealAsync(tenantId, cancellationToken);
}
