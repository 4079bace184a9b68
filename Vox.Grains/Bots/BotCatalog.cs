using Dapper;
using Vox.Grains.Store;

namespace Vox.Grains.Bots;

/// <summary>Lists a tenant's bots from the store, newest first, by keyset paging.</summary>
public sealed class BotCatalog(IGrainStore store) : IBotCatalog
{
    /// <inheritdoc />
    public Task<Page<BotRecord>> ListAsync(string tenantId, int limit, string? cursor, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) =>
        {
            var after = Cursor.Decode(cursor);
            var rows = (await connection.QueryAsync<BotRow>(new CommandDefinition($"""
                SELECT * FROM bots WHERE tenant_id = @TenantId AND deleted_at IS NULL
                {(after is null ? "" : "AND (created_at < @CreatedAt OR (created_at = @CreatedAt AND id < @Id))")}
                ORDER BY created_at DESC, id DESC LIMIT @Take
                """, new { TenantId = tenantId, CreatedAt = after?.CreatedAt ?? 0, Id = after?.Id ?? "", Take = limit + 1 }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            return Cursor.ToPage(rows, limit, r => (r.CreatedAt, r.Id), r => r.ToRecord());
        }, cancellationToken);
}
