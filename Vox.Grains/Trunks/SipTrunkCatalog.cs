using System.Text.Json;
using Dapper;
using Vox.Grains.Secrets;
using Vox.Grains.Store;

namespace Vox.Grains.Trunks;

/// <summary>
/// Tenants' SIP trunks on the store (<c>sip_trunks</c>). The name is unique in a tenant; the digest password is sealed with
/// <see cref="SecretCipher"/> (<c>Secrets:Key</c>), bound to the tenant and the trunk id, and only
/// <see cref="FindAsync"/> opens it, when asked to (for dialling).
/// </summary>
public sealed class SipTrunkCatalog(IGrainStore store, SecretCipher cipher) : ISipTrunkCatalog
{
    /// <summary>Most trunks one tenant may store.</summary>
    public const int MaxTrunksPerTenant = 50;

    /// <inheritdoc />
    public async Task<SipTrunk> CreateAsync(string tenantId, SipTrunkInput input, CancellationToken cancellationToken)
    {
        Validate(input);
        var id = Ids.New("trk");
        var (keyId, sealedPassword) = Seal(tenantId, id, input.Password);
        try
        {
            return await store.WriteAsync(async (connection, transaction, ct) =>
            {
                // The tenant row lock makes the per-tenant cap exact under concurrent creates.
                _ = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(store.Sql("SELECT id FROM tenants WHERE id = @TenantId {for_update}"),
                    new { TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false) ?? throw new NotFoundException("tenant", tenantId);
                var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM sip_trunks WHERE tenant_id = @TenantId",
                    new { TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                if (count >= MaxTrunksPerTenant)
                {
                    throw new ConflictException("trunk_limit", $"A tenant may have at most {MaxTrunksPerTenant} SIP trunks; delete one first.");
                }

                return (await connection.QuerySingleAsync<Row>(new CommandDefinition(store.Sql("""
                    INSERT INTO sip_trunks (id, tenant_id, name, address, transport, domain, allowed_sources, username, password_key_id, password_sealed, created_at, updated_at)
                    VALUES (@Id, @TenantId, @Name, @Address, @Transport, @Domain, @AllowedSources, @Username, @KeyId, @Sealed, {now}, {now}) RETURNING *
                    """), Parameters(id, tenantId, input, keyId, sealedPassword), transaction, cancellationToken: ct)).ConfigureAwait(false)).ToTrunk();
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (store.IsUniqueViolation(ex))
        {
            throw NameTaken(input.Name);
        }
    }

    /// <inheritdoc />
    public async Task<SipTrunk> UpdateAsync(string tenantId, string id, SipTrunkInput input, CancellationToken cancellationToken)
    {
        Validate(input);
        var (keyId, sealedPassword) = Seal(tenantId, id, input.Password);
        try
        {
            // A password left out (null) keeps the stored one; "" removes it, and so does removing the username.
            var keepPassword = input.Password is null && input.Username is not null;
            return await store.WriteAsync(async (connection, transaction, ct) =>
            {
                var current = await NameOfAsync(connection, transaction, tenantId, id, ct).ConfigureAwait(false);
                if (current != input.Name)
                {
                    await EnsureUnusedAsync(connection, transaction, tenantId, current, "renamed", ct).ConfigureAwait(false);
                }

                return (await connection.QuerySingleAsync<Row>(new CommandDefinition(store.Sql($"""
                    UPDATE sip_trunks SET name = @Name, address = @Address, transport = @Transport, domain = @Domain, allowed_sources = @AllowedSources,
                        username = @Username{(keepPassword ? "" : ", password_key_id = @KeyId, password_sealed = @Sealed")}, updated_at = {"{now}"}
                    WHERE id = @Id AND tenant_id = @TenantId RETURNING *
                    """), Parameters(id, tenantId, input, keyId, sealedPassword), transaction, cancellationToken: ct)).ConfigureAwait(false)).ToTrunk();
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (store.IsUniqueViolation(ex))
        {
            throw NameTaken(input.Name);
        }
    }

    /// <inheritdoc />
    public Task<SipTrunk> GetAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) => (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT * FROM sip_trunks WHERE id = @Id AND tenant_id = @TenantId", new { Id = id, TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false))?.ToTrunk()
            ?? throw new NotFoundException("SIP trunk", id), cancellationToken);

    /// <inheritdoc />
    public Task<Page<SipTrunk>> ListAsync(string tenantId, int limit, string? cursor, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) =>
        {
            var after = Cursor.Decode(cursor);
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition($"""
                SELECT * FROM sip_trunks WHERE tenant_id = @TenantId
                {(after is null ? "" : "AND (created_at < @CreatedAt OR (created_at = @CreatedAt AND id < @Id))")}
                ORDER BY created_at DESC, id DESC LIMIT @Take
                """, new { TenantId = tenantId, CreatedAt = after?.CreatedAt ?? 0, Id = after?.Id ?? "", Take = limit + 1 }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            return Cursor.ToPage(rows, limit, r => (r.CreatedAt, r.Id), r => r.ToTrunk());
        }, cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            await EnsureUnusedAsync(connection, transaction, tenantId, await NameOfAsync(connection, transaction, tenantId, id, ct).ConfigureAwait(false), "deleted", ct)
                .ConfigureAwait(false);
            return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sip_trunks WHERE id = @Id AND tenant_id = @TenantId",
                new { Id = id, TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        }, cancellationToken);

    // The trunk's name, its row locked for the rest of the transaction; another tenant's trunk is not found.
    private async Task<string> NameOfAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string tenantId, string id, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<string?>(new CommandDefinition(store.Sql("SELECT name FROM sip_trunks WHERE id = @Id AND tenant_id = @TenantId {for_update}"),
            new { Id = id, TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false) ?? throw new NotFoundException("SIP trunk", id);

    // A number's trunk is what guards its inbound calls (AllowedSources): the trunk may not vanish from under it.
    private static async Task EnsureUnusedAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string tenantId, string name, string change, CancellationToken ct)
    {
        var numbers = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT number FROM phone_numbers WHERE tenant_id = @TenantId AND trunk = @Name ORDER BY number LIMIT 5",
            new { TenantId = tenantId, Name = name }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        if (numbers.Count > 0)
        {
            throw new ConflictException("trunk_in_use",
                $"The trunk '{name}' cannot be {change} while phone numbers use it ({string.Join(", ", numbers)}{(numbers.Count == 5 ? ", ..." : "")}); give them another trunk, or none, first.");
        }
    }

    /// <inheritdoc />
    public async Task<SipTrunkCredentials?> FindAsync(string tenantId, string? name, bool withPassword, CancellationToken cancellationToken)
    {
        var row = await store.ReadAsync(async (connection, ct) => await connection.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(name is null
                ? "SELECT * FROM sip_trunks WHERE tenant_id = @TenantId ORDER BY created_at, id LIMIT 1"
                : "SELECT * FROM sip_trunks WHERE tenant_id = @TenantId AND name = @Name",
            new { TenantId = tenantId, Name = name }, cancellationToken: ct)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var password = withPassword && row.PasswordSealed is { } sealedBytes && row.PasswordKeyId is { } keyId ? cipher.Decrypt(tenantId, SecretName(row.Id), keyId, sealedBytes) : null;
        return new SipTrunkCredentials(row.ToTrunk(), password);
    }

    private static void Validate(SipTrunkInput input)
    {
        if (SipTrunkRules.Problems(input).FirstOrDefault() is { Field: not null } problem)
        {
            throw new VoxException("invalid_trunk", $"{problem.Field}: {problem.Message}");
        }
    }

    private (string? KeyId, byte[]? Sealed) Seal(string tenantId, string id, string? password) =>
        string.IsNullOrEmpty(password) ? (null, null) : cipher.Encrypt(tenantId, SecretName(id), password);

    private static string SecretName(string id) => "sip-trunk:" + id;

    private static ConflictException NameTaken(string name) => new("trunk_name_taken", $"This tenant already has a SIP trunk named '{name}'.", "name");

    private static object Parameters(string id, string tenantId, SipTrunkInput input, string? keyId, byte[]? sealedPassword) => new
    {
        Id = id,
        TenantId = tenantId,
        input.Name,
        Address = input.Address.Trim(),
        Transport = SipTrunkRules.NormalizeTransport(input.Transport),
        Domain = string.IsNullOrWhiteSpace(input.Domain) ? null : input.Domain.Trim(),
        AllowedSources = JsonSerializer.Serialize((input.AllowedSources ?? []).Select(s => s.Trim()).ToList()),
        input.Username,
        KeyId = keyId,
        Sealed = sealedPassword,
    };

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Address { get; set; } = "";
        public string Transport { get; set; } = "udp";
        public string? Domain { get; set; }
        public string AllowedSources { get; set; } = "[]";
        public string? Username { get; set; }
        public string? PasswordKeyId { get; set; }
        public byte[]? PasswordSealed { get; set; }
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }

        public SipTrunk ToTrunk() => new(Id, TenantId, Name, Address, Transport, Domain, JsonSerializer.Deserialize<List<string>>(AllowedSources) ?? [], Username,
            PasswordSealed is not null, DbTime.ToTime(CreatedAt), DbTime.ToTime(UpdatedAt));
    }
}
