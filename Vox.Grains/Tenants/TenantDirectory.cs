using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Vox.Grains.Store;

namespace Vox.Grains.Tenants;

/// <summary>
/// Tenants and API keys on the store. A key is <c>vox_{prefix}_{secret}</c>: the prefix finds the row, and only
/// the SHA-256 of the whole key is kept (keys carry 256 random bits, so a fast hash is enough).
/// </summary>
public sealed partial class TenantDirectory(IGrainStore store, ILogger<TenantDirectory> logger) : ITenantDirectory
{
    private const string KeyScheme = "vox_";

    /// <inheritdoc />
    public async Task<CreatedApiKey?> EnsureBootstrapAsync(CancellationToken cancellationToken)
    {
        var created = await store.WriteAsync(async (connection, transaction, ct) =>
        {
            var first = await connection.ExecuteAsync(new CommandDefinition(store.Sql(
                "INSERT INTO cluster_settings (name, value, created_at) VALUES ('bootstrap', 'done', {now}) ON CONFLICT (name) DO NOTHING"),
                transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (first == 0)
            {
                return null;
            }

            var tenantId = Ids.New("ten");
            await connection.ExecuteAsync(new CommandDefinition(store.Sql("INSERT INTO tenants (id, name, created_at) VALUES (@Id, 'Default', {now})"),
                new { Id = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return await InsertKeyAsync(connection, transaction, tenantId, "bootstrap admin", isAdmin: true, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (created is not null)
        {
            LogBootstrapped(logger, created.Info.TenantId, created.Info.Prefix);
        }

        return created;
    }

    /// <inheritdoc />
    public Task<Tenant> CreateTenantAsync(string name, int? maxConcurrentCalls, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) => (await connection.QuerySingleAsync<TenantRow>(new CommandDefinition(store.Sql(
            "INSERT INTO tenants (id, name, max_concurrent_calls, created_at) VALUES (@Id, @Name, @Cap, {now}) RETURNING *"),
            new { Id = Ids.New("ten"), Name = name, Cap = maxConcurrentCalls }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToTenant(), cancellationToken);

    /// <inheritdoc />
    public Task<Tenant> SetConcurrencyCapAsync(string tenantId, int? maxConcurrentCalls, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) => (await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(
            "UPDATE tenants SET max_concurrent_calls = @Cap WHERE id = @Id RETURNING *",
            new { Id = tenantId, Cap = maxConcurrentCalls }, transaction, cancellationToken: ct)).ConfigureAwait(false))?.ToTenant()
            ?? throw new NotFoundException("tenant", tenantId), cancellationToken);

    /// <inheritdoc />
    public Task<Tenant> GetTenantAsync(string tenantId, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) => (await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(
            "SELECT * FROM tenants WHERE id = @Id", new { Id = tenantId }, cancellationToken: ct)).ConfigureAwait(false))?.ToTenant()
            ?? throw new NotFoundException("tenant", tenantId), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<Tenant>>(async (connection, ct) => (await connection.QueryAsync<TenantRow>(new CommandDefinition(
            "SELECT * FROM tenants ORDER BY created_at, id", cancellationToken: ct)).ConfigureAwait(false)).Select(r => r.ToTenant()).ToList(), cancellationToken);

    /// <inheritdoc />
    public Task<CreatedApiKey> CreateApiKeyAsync(string tenantId, string name, bool isAdmin, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM tenants WHERE id = @Id",
                new { Id = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return exists == 0
                ? throw new NotFoundException("tenant", tenantId)
                : await InsertKeyAsync(connection, transaction, tenantId, name, isAdmin, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string tenantId, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<ApiKeyInfo>>(async (connection, ct) => (await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            "SELECT * FROM api_keys WHERE tenant_id = @TenantId ORDER BY created_at, id", new { TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false))
            .Select(r => r.ToInfo()).ToList(), cancellationToken);

    /// <inheritdoc />
    public async Task<ApiKeyInfo> RevokeApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken)
    {
        var info = await store.WriteAsync(async (connection, transaction, ct) => (await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(store.Sql(
            "UPDATE api_keys SET revoked_at = coalesce(revoked_at, {now}) WHERE id = @Id AND tenant_id = @TenantId RETURNING *"),
            new { Id = keyId, TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false))?.ToInfo()
            ?? throw new NotFoundException("api key", keyId), cancellationToken).ConfigureAwait(false);
        LogRevoked(logger, keyId, tenantId);
        return info;
    }

    /// <inheritdoc />
    public async Task<ApiPrincipal?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        var prefix = PrefixOf(presentedKey);
        if (prefix is null)
        {
            return null;
        }

        var row = await store.ReadAsync((connection, ct) => connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            "SELECT * FROM api_keys WHERE prefix = @Prefix AND revoked_at IS NULL", new { Prefix = prefix }, cancellationToken: ct)), cancellationToken).ConfigureAwait(false);
        return row is not null && CryptographicOperations.FixedTimeEquals(row.KeyHash, Hash(presentedKey))
            ? new ApiPrincipal(row.TenantId, row.Id, row.IsAdmin)
            : null;
    }

    private async Task<CreatedApiKey> InsertKeyAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        string tenantId, string name, bool isAdmin, CancellationToken ct)
    {
        var prefix = KeyScheme + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = prefix + "_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var row = await connection.QuerySingleAsync<ApiKeyRow>(new CommandDefinition(store.Sql("""
            INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, is_admin, created_at)
            VALUES (@Id, @TenantId, @Name, @Prefix, @Hash, @IsAdmin, {now}) RETURNING *
            """), new { Id = Ids.New("key"), TenantId = tenantId, Name = name, Prefix = prefix, Hash = Hash(key), IsAdmin = isAdmin },
            transaction, cancellationToken: ct)).ConfigureAwait(false);
        return new CreatedApiKey(row.ToInfo(), key);
    }

    private static string? PrefixOf(string key)
    {
        // vox_ + 12 hex + _ + 43 base64url characters.
        if (key.Length != 60 || !key.StartsWith(KeyScheme, StringComparison.Ordinal) || key[16] != '_')
        {
            return null;
        }

        return key[..16];
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap admin key {Prefix} created for tenant {TenantId}")]
    private static partial void LogBootstrapped(ILogger logger, string tenantId, string prefix);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} of tenant {TenantId} revoked")]
    private static partial void LogRevoked(ILogger logger, string keyId, string tenantId);

    private sealed class TenantRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public long? MaxConcurrentCalls { get; set; }
        public long CreatedAt { get; set; }

        public Tenant ToTenant() => new(Id, Name, (int?)MaxConcurrentCalls, DbTime.ToTime(CreatedAt));
    }

    private sealed class ApiKeyRow
    {
        public string Id { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Prefix { get; set; } = "";
        public byte[] KeyHash { get; set; } = [];
        public bool IsAdmin { get; set; }
        public long CreatedAt { get; set; }
        public long? RevokedAt { get; set; }

        public ApiKeyInfo ToInfo() => new(Id, TenantId, Name, Prefix, IsAdmin, DbTime.ToTime(CreatedAt), DbTime.ToTime(RevokedAt));
    }
}
