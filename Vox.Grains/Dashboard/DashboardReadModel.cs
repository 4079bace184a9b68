using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Vox.Grains.Calls;
using Vox.Grains.Store;
using Vox.Grains.Webhooks;

namespace Vox.Grains.Dashboard;

/// <summary>The dashboard's queries on the store; every one is a single read, keyed on indexed columns.</summary>
public sealed class DashboardReadModel(IGrainStore store) : IDashboardReadModel
{
    private static readonly HashSet<string> ForeignTables = new(StringComparer.Ordinal) { "campaigns", "campaign_leases" };

    /// <inheritdoc />
    public Task<Page<CallRecord>> ListCallsAsync(DashboardCallQuery query, CancellationToken cancellationToken) =>
        new CallListing(query.TenantId, query.LiveOnly, query.State, query.BotId, null, query.Number, query.CreatedAfter, query.CreatedBefore, query.Cursor, query.Limit)
            .ReadAsync(store, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CallVolumeBucket>> CallsPerMinuteAsync(string? tenantId, DateTimeOffset since, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<CallVolumeBucket>>(async (connection, ct) =>
        {
            var rows = await connection.QueryAsync<(long Minute, string Direction, long Count)>(new CommandDefinition(
                "SELECT (created_at / 60000) AS minute, direction, count(*) AS n FROM calls WHERE created_at >= @Since" +
                (tenantId is null ? "" : " AND tenant_id = @TenantId") + " GROUP BY created_at / 60000, direction ORDER BY minute",
                new { Since = DbTime.ToMs(since), TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false);
            return rows.GroupBy(r => r.Minute)
                .Select(g => new CallVolumeBucket(DbTime.ToTime(g.Key * 60_000),
                    (int)g.Where(r => r.Direction == "inbound").Sum(r => r.Count), (int)g.Where(r => r.Direction == "outbound").Sum(r => r.Count)))
                .ToList();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CallMetricsSample>> EndedCallMetricsAsync(string? tenantId, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<CallMetricsSample>>(async (connection, ct) =>
        {
            // Calls end near their creation, so the created_at bound lets the tenant index narrow the scan; ended_at decides.
            var rows = await connection.QueryAsync<(string Id, string TenantId, string BotId, long EndedAt, string Metrics)>(new CommandDefinition(
                "SELECT id, tenant_id, bot_id, ended_at, metrics FROM calls WHERE created_at >= @Since - 86400000 AND ended_at >= @Since AND metrics IS NOT NULL" +
                (tenantId is null ? "" : " AND tenant_id = @TenantId") + " ORDER BY created_at DESC, id DESC LIMIT @Limit",
                new { Since = DbTime.ToMs(since), TenantId = tenantId, Limit = limit }, cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => new CallMetricsSample(r.Id, r.TenantId, r.BotId, DbTime.ToTime(r.EndedAt), JsonDocument.Parse(r.Metrics).RootElement.Clone())).ToList();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookDelivery>> CallDeliveriesAsync(string tenantId, string callId, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<WebhookDelivery>>(async (connection, ct) =>
        {
            var createdAt = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT created_at FROM calls WHERE id = @Id AND tenant_id = @TenantId", new { Id = callId, TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false)
                ?? throw new NotFoundException("call", callId);

            // Call events carry the call as data.call; its id is matched in the stored JSON text, after the call was created.
            var rows = await connection.QueryAsync<WebhookDeliveryRow>(new CommandDefinition(
                WebhookDeliveryRow.Select + " WHERE d.tenant_id = @TenantId AND v.tenant_id = @TenantId AND v.created_at >= @CreatedAt AND v.type LIKE 'call.%'" +
                " AND v.payload LIKE @Pattern ORDER BY d.created_at, d.id",
                new { TenantId = tenantId, CreatedAt = createdAt, Pattern = $"%\"id\":\"{callId}\"%" }, cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => r.ToDelivery()).ToList();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<StoreTable?> ReadTableAsync(string table, string? tenantId, int limit, CancellationToken cancellationToken)
    {
        if (!ForeignTables.Contains(table))
        {
            throw new ArgumentException($"The dashboard does not read table '{table}'.", nameof(table));
        }

        return store.ReadAsync(async (connection, ct) =>
        {
            var columns = await ColumnsAsync(connection, table, ct).ConfigureAwait(false);
            if (columns.Count == 0)
            {
                return null;
            }

            if (tenantId is not null && !columns.Contains("tenant_id"))
            {
                // Rows that cannot be told apart by tenant are shown to cluster admins only.
                return new StoreTable(table, columns, []);
            }

            var scoped = tenantId is not null;
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}{(scoped ? " WHERE tenant_id = @TenantId" : "")} LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
            if (scoped)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "TenantId";
                parameter.Value = tenantId;
                command.Parameters.Add(parameter);
            }

            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var rows = new List<IReadOnlyList<string?>>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount)
                    .Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).ToList());
            }

            return new StoreTable(table, names, rows);
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ColumnsAsync(DbConnection connection, string table, CancellationToken ct)
    {
        var sql = store.Dialect == StoreDialect.Sqlite
            ? "SELECT name FROM pragma_table_info(@Table)"
            : "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @Table ORDER BY ordinal_position";
        return (await connection.QueryAsync<string>(new CommandDefinition(sql, new { Table = table }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }
}
