using System.Text;
using Dapper;
using Vox.Grains.Capacity;
using Vox.Grains.Store;

namespace Vox.Grains.Calls;

/// <summary>
/// The one call-listing query behind the REST API's call log and the dashboard's: optional filters, newest first,
/// keyset paging on (created_at, id). A null tenant lists every tenant (cluster admins only).
/// </summary>
internal sealed record CallListing(
    string? TenantId,
    bool LiveOnly,
    CallState? State,
    string? BotId,
    CallDirection? Direction,
    string? Number,
    DateTimeOffset? CreatedAfter,
    DateTimeOffset? CreatedBefore,
    string? Cursor,
    int Limit)
{
    /// <summary>One page of the matching calls.</summary>
    public Task<Page<CallRecord>> ReadAsync(IGrainStore store, CancellationToken cancellationToken) =>
        store.ReadAsync(async (connection, ct) =>
        {
            var after = Store.Cursor.Decode(Cursor);
            var sql = new StringBuilder("SELECT * FROM calls WHERE 1 = 1");
            var p = new DynamicParameters(new { Take = Limit + 1 });
            void Filter(string clause, string name, object? value)
            {
                if (value is not null)
                {
                    sql.Append(" AND ").Append(clause);
                    p.Add(name, value);
                }
            }

            Filter("tenant_id = @TenantId", "TenantId", TenantId);
            Filter("state = @State", "State", State is { } state ? CallRow.StateName(state) : null);
            Filter("bot_id = @BotId", "BotId", BotId);
            Filter("direction = @Direction", "Direction", Direction is { } direction ? CallRow.DirectionName(direction) : null);
            Filter("(from_number = @Number OR to_number = @Number)", "Number", Number);
            Filter("created_at >= @From", "From", CreatedAfter is { } from ? DbTime.ToMs(from) : null);
            Filter("created_at < @To", "To", CreatedBefore is { } to ? DbTime.ToMs(to) : null);
            if (LiveOnly)
            {
                // Written as in the partial indexes of migration 0005, so both dialects use them.
                sql.Append(" AND state <> 'ended'");
            }

            if (after is { } a)
            {
                sql.Append(" AND (created_at < @CursorAt OR (created_at = @CursorAt AND id < @CursorId))");
                p.Add("CursorAt", a.CreatedAt);
                p.Add("CursorId", a.Id);
            }

            sql.Append(" ORDER BY created_at DESC, id DESC LIMIT @Take");
            var rows = (await connection.QueryAsync<CallRow>(new CommandDefinition(sql.ToString(), p, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            return Store.Cursor.ToPage(rows, Limit, r => (r.CreatedAt, r.Id), r => r.ToRecord());
        }, cancellationToken);
}
