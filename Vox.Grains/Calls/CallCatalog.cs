using System.Text;
using Dapper;
using Vox.Grains.Store;

namespace Vox.Grains.Calls;

/// <summary>Lists a tenant's calls with filters, newest first, by keyset paging.</summary>
public sealed class CallCatalog(IGrainStore store) : ICallCatalog
{
    /// <inheritdoc />
    public Task<Page<CallRecord>> ListAsync(string tenantId, CallQuery query, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) =>
        {
            var after = Cursor.Decode(query.Cursor);
            var sql = new StringBuilder("SELECT * FROM calls WHERE tenant_id = @TenantId");
            var p = new DynamicParameters(new { TenantId = tenantId, Take = query.Limit + 1 });
            if (query.State is { } state)
            {
                sql.Append(" AND state = @State");
                p.Add("State", CallRow.StateName(state));
            }

            if (query.BotId is { } botId)
            {
                sql.Append(" AND bot_id = @BotId");
                p.Add("BotId", botId);
            }

            if (query.Direction is { } direction)
            {
                sql.Append(" AND direction = @Direction");
                p.Add("Direction", CallRow.DirectionName(direction));
            }

            if (query.Number is { } number)
            {
                sql.Append(" AND (from_number = @Number OR to_number = @Number)");
                p.Add("Number", number);
            }

            if (query.CreatedAfter is { } from)
            {
                sql.Append(" AND created_at >= @From");
                p.Add("From", DbTime.ToMs(from));
            }

            if (query.CreatedBefore is { } to)
            {
                sql.Append(" AND created_at < @To");
                p.Add("To", DbTime.ToMs(to));
            }

            if (after is { } a)
            {
                sql.Append(" AND (created_at < @CursorAt OR (created_at = @CursorAt AND id < @CursorId))");
                p.Add("CursorAt", a.CreatedAt);
                p.Add("CursorId", a.Id);
            }

            sql.Append(" ORDER BY created_at DESC, id DESC LIMIT @Take");
            var rows = (await connection.QueryAsync<CallRow>(new CommandDefinition(sql.ToString(), p, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            return Cursor.ToPage(rows, query.Limit, r => (r.CreatedAt, r.Id), r => r.ToRecord());
        }, cancellationToken);
}
