using System.Data.Common;
using System.Text.Json;
using Dapper;
using Vox.Grains.Store;

namespace Vox.Grains.Bots;

/// <summary>A bot on the store: every write bumps the version and keeps the old definition in <c>bot_versions</c>.</summary>
public sealed class BotGrain(string botId, IGrainStore store) : IBotGrain
{
    /// <inheritdoc />
    public string Key => botId;

    /// <inheritdoc />
    public async Task<BotRecord> CreateAsync(string tenantId, BotDefinition definition, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(definition, VoxJson.Options);
        try
        {
            return await store.WriteAsync(async (connection, transaction, ct) =>
            {
                var row = await connection.QuerySingleAsync<BotRow>(new CommandDefinition(store.Sql("""
                    INSERT INTO bots (id, tenant_id, version, name, definition, created_at, updated_at)
                    VALUES (@Id, @TenantId, 1, @Name, @Definition, {now}, {now}) RETURNING *
                    """), new { Id = botId, TenantId = tenantId, definition.Name, Definition = json }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                await InsertVersionAsync(connection, transaction, 1, json, ct).ConfigureAwait(false);
                return row.ToRecord();
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (store.IsUniqueViolation(ex))
        {
            throw new ConflictException("bot_exists", $"A bot with id '{botId}' already exists.", "id");
        }
    }

    /// <inheritdoc />
    public Task<BotRecord> UpdateAsync(string tenantId, BotDefinition definition, int? expectedVersion, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(definition, VoxJson.Options);
        return store.WriteAsync(async (connection, transaction, ct) =>
        {
            var current = await LoadAsync(connection, transaction, tenantId, forUpdate: true, ct).ConfigureAwait(false);
            if (expectedVersion is { } expected && expected != current.Version)
            {
                throw new ConflictException("version_mismatch", $"Bot '{botId}' is at version {current.Version}, not {expected}: fetch it again and reapply your change.", "version");
            }

            var row = await connection.QuerySingleAsync<BotRow>(new CommandDefinition(store.Sql(
                "UPDATE bots SET version = version + 1, name = @Name, definition = @Definition, updated_at = {now} WHERE id = @Id RETURNING *"),
                new { Id = botId, definition.Name, Definition = json }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await InsertVersionAsync(connection, transaction, row.Version, json, ct).ConfigureAwait(false);
            return row.ToRecord();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<BotRecord> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) => (await LoadAsync(connection, null, tenantId, forUpdate: false, ct).ConfigureAwait(false)).ToRecord(), cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(string tenantId, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            await LoadAsync(connection, transaction, tenantId, forUpdate: true, ct).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(store.Sql("UPDATE bots SET deleted_at = {now} WHERE id = @Id"),
                new { Id = botId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition("UPDATE phone_numbers SET bot_id = NULL WHERE bot_id = @Id",
                new { Id = botId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<BotRuntimeConfig> GetRuntimeConfigAsync(CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<BotRow>(new CommandDefinition(store.Sql(
                "SELECT b.*, {now} AS updated_at FROM bots b WHERE id = @Id AND deleted_at IS NULL"), new { Id = botId }, cancellationToken: ct)).ConfigureAwait(false)
                ?? throw new NotFoundException("bot", botId);
            var record = row.ToRecord();
            return new BotRuntimeConfig(record.Id, record.TenantId, record.Version, record.Definition, record.UpdatedAt);
        }, cancellationToken);

    private async Task<BotRow> LoadAsync(DbConnection connection, DbTransaction? transaction, string tenantId, bool forUpdate, CancellationToken ct)
    {
        var sql = "SELECT * FROM bots WHERE id = @Id AND tenant_id = @TenantId AND deleted_at IS NULL" + (forUpdate ? " {for_update}" : "");
        return await connection.QuerySingleOrDefaultAsync<BotRow>(new CommandDefinition(store.Sql(sql),
                   new { Id = botId, TenantId = tenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false)
               ?? throw new NotFoundException("bot", botId);
    }

    private Task InsertVersionAsync(DbConnection connection, DbTransaction transaction, long version, string json, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(store.Sql(
            "INSERT INTO bot_versions (bot_id, version, definition, created_at) VALUES (@Id, @Version, @Definition, {now})"),
            new { Id = botId, Version = (int)version, Definition = json }, transaction, cancellationToken: ct));
}
