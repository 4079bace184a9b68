using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Vox.Grains.Store;

namespace Vox.Grains.Capacity;

/// <summary>
/// Slot reservations of this process, with group commit: reservations for one pool that arrive while an earlier
/// round trip is in flight wait in a queue and are decided together by the next one (<c>vox_reserve_batch</c> on
/// PostgreSQL, one write transaction on SQLite). A lone reservation takes the single-request path unchanged, so
/// light load pays no batching delay. Every caller gets its own result; a failed batch is retried one request at a
/// time, so an error reaches only the request it belongs to.
/// </summary>
internal sealed partial class ReservationBatcher(IGrainStore store, CapacityOptions options, ILogger<ReservationBatcher> logger)
{
    private readonly ConcurrentDictionary<string, GroupCommitQueue<ReserveItem, ReserveRow>> _pools = new(StringComparer.Ordinal);

    /// <summary>Reserves a worker of <paramref name="pool"/> for <paramref name="request"/>.</summary>
    public Task<ReserveRow> ReserveAsync(string pool, ReserveItem item, CancellationToken cancellationToken)
    {
        if (options.ReserveBatchSize <= 1)
        {
            return ReserveOneAsync(pool, item, cancellationToken);
        }

        return Queue(pool).EnqueueAsync(item, cancellationToken);
    }

    /// <summary>Reserves for several calls of <paramref name="pool"/>, queued together (batches of the configured size).</summary>
    public async Task<IReadOnlyList<ReserveRow>> ReserveManyAsync(string pool, IReadOnlyList<ReserveItem> items, CancellationToken cancellationToken)
    {
        if (options.ReserveBatchSize > 1)
        {
            return await Queue(pool).EnqueueManyAsync(items, cancellationToken).ConfigureAwait(false);
        }

        var rows = new List<ReserveRow>(items.Count);
        foreach (var item in items)
        {
            rows.Add(await ReserveOneAsync(pool, item, cancellationToken).ConfigureAwait(false));
        }

        return rows;
    }

    private GroupCommitQueue<ReserveItem, ReserveRow> Queue(string pool) =>
        _pools.GetOrAdd(pool, p => new GroupCommitQueue<ReserveItem, ReserveRow>(options.ReserveBatchSize, options.ReserveBatchesInFlight, batch => RunAsync(p, batch)));

    private async Task RunAsync(string pool, IReadOnlyList<GroupCommitEntry<ReserveItem, ReserveRow>> batch)
    {
        if (batch.Count == 1)
        {
            await CompleteOneAsync(pool, batch[0]).ConfigureAwait(false);
            return;
        }

        IReadOnlyList<ReserveRow> rows;
        try
        {
            // One caller's cancellation must not abort the others' round trip: the command timeout bounds it instead.
            rows = store.Dialect == StoreDialect.Postgres
                ? await ReserveBatchOnPostgresAsync(pool, batch).ConfigureAwait(false)
                : await store.WriteAsync(async (connection, transaction, ct) =>
                {
                    var results = new List<ReserveRow>(batch.Count);
                    foreach (var item in batch)
                    {
                        results.Add(await ReserveInTransactionAsync(connection, transaction, pool, item.Request, ct).ConfigureAwait(false));
                    }

                    return results;
                }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Typically a call id that another process reserved at the same moment (unique violation): the single path
            // retries that one and finds the winner's worker; the rest are granted as usual.
            LogBatchFallback(logger, ex, pool, batch.Count);
            await Task.WhenAll(batch.Select(item => CompleteOneAsync(pool, item))).ConfigureAwait(false);
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(rows[i]);
        }
    }

    private async Task CompleteOneAsync(string pool, GroupCommitEntry<ReserveItem, ReserveRow> item)
    {
        try
        {
            item.Completion.TrySetResult(await ReserveOneAsync(pool, item.Request, item.CancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (item.CancellationToken.IsCancellationRequested)
        {
            item.Completion.TrySetCanceled(item.CancellationToken);
        }
        catch (Exception ex)
        {
            item.Completion.TrySetException(ex);
        }
    }

    private Task<ReserveRow> ReserveOneAsync(string pool, ReserveItem item, CancellationToken cancellationToken) =>
        store.Dialect == StoreDialect.Postgres
            ? ReserveOnPostgresAsync(pool, item, cancellationToken)
            : store.WriteAsync((connection, transaction, ct) => ReserveInTransactionAsync(connection, transaction, pool, item, ct), cancellationToken);

    private async Task<ReserveRow> ReserveOnPostgresAsync(string pool, ReserveItem item, CancellationToken cancellationToken)
    {
        var args = new
        {
            Pool = pool, item.Request.TenantId, item.Request.CallId, item.Direction,
            Ratio = options.InboundReserveRatio, Ttl = (long)options.ReservationTtlMs,
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await store.StatementAsync((connection, ct) => connection.QuerySingleAsync<ReserveRow>(new CommandDefinition(
                    "SELECT * FROM vox_reserve(@Pool, @TenantId, @CallId, @Direction, @Ratio, @Ttl)", args, cancellationToken: ct)), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < 3 && store.IsUniqueViolation(ex))
            {
                // The same call id raced itself on two workers; the loser's retry finds the winner's reservation.
            }
        }
    }

    private async Task<IReadOnlyList<ReserveRow>> ReserveBatchOnPostgresAsync(string pool, IReadOnlyList<GroupCommitEntry<ReserveItem, ReserveRow>> batch)
    {
        var args = new
        {
            Pool = pool,
            Tenants = batch.Select(p => p.Request.Request.TenantId).ToArray(),
            Calls = batch.Select(p => p.Request.Request.CallId).ToArray(),
            Directions = batch.Select(p => p.Request.Direction).ToArray(),
            Ratio = options.InboundReserveRatio,
            Ttl = (long)options.ReservationTtlMs,
        };
        var rows = await store.StatementAsync(async (connection, ct) => (await connection.QueryAsync<ReserveRow>(new CommandDefinition(
            "SELECT * FROM vox_reserve_batch(@Pool, @Tenants, @Calls, @Directions, @Ratio, @Ttl)", args, cancellationToken: ct)).ConfigureAwait(false)).ToList(),
            CancellationToken.None).ConfigureAwait(false);
        if (rows.Count != batch.Count || rows.Select(r => r.RIndex).Order().Where((index, i) => index != i + 1).Any())
        {
            throw new InvalidDataException($"vox_reserve_batch answered {rows.Count} rows for {batch.Count} requests.");
        }

        return rows.OrderBy(r => r.RIndex).ToList();
    }

    // The SQLite twin of vox_reserve: the transaction already holds the database's write lock.
    private async Task<ReserveRow> ReserveInTransactionAsync(DbConnection connection, DbTransaction transaction, string pool, ReserveItem item, CancellationToken ct)
    {
        var request = item.Request;
        var now = await connection.ExecuteScalarAsync<long>(new CommandDefinition(store.Sql("SELECT {now}"), transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
        var poolExists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM capacity_pools WHERE pool = @Pool", new { Pool = pool }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (poolExists == 0)
        {
            return new ReserveRow { ROutcome = "no_capacity" };
        }

        var existing = await connection.QuerySingleOrDefaultAsync<WorkerRow>(new CommandDefinition(
            "SELECT * FROM workers WHERE call_id = @CallId AND expires_at > @Now", new { request.CallId, Now = now }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (existing is not null)
        {
            return ReserveRow.Granted(existing);
        }

        var cap = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT max_concurrent_calls FROM tenants WHERE id = @TenantId", new { request.TenantId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (cap is not null)
        {
            var active = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM workers WHERE tenant_id = @TenantId AND call_id IS NOT NULL AND expires_at > @Now",
                new { request.TenantId, Now = now }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (active >= cap)
            {
                return new ReserveRow { ROutcome = "tenant_limit", RCount = cap };
            }
        }

        if (item.Direction == "outbound")
        {
            var (total, free) = await connection.QuerySingleAsync<(long Total, long Free)>(new CommandDefinition(
                "SELECT count(*), coalesce(sum(CASE WHEN state = 'idle' THEN 1 ELSE 0 END), 0) FROM workers WHERE pool = @Pool AND expires_at > @Now AND ready",
                new { Pool = pool, Now = now }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (free == 0)
            {
                return new ReserveRow { ROutcome = "no_capacity" };
            }

            if (free <= Math.Ceiling(total * options.InboundReserveRatio))
            {
                return new ReserveRow { ROutcome = "inbound_reserve", RCount = free };
            }
        }

        var worker = await connection.QuerySingleOrDefaultAsync<WorkerRow>(new CommandDefinition("""
            UPDATE workers SET state = 'reserved', call_id = @CallId, tenant_id = @TenantId, direction = @Direction,
                               reserved_at = @Now, reservation_expires_at = @Now + @Ttl
            WHERE worker_id = (SELECT worker_id FROM workers WHERE pool = @Pool AND state = 'idle' AND expires_at > @Now AND ready
                               ORDER BY last_released_at, worker_id LIMIT 1)
            RETURNING *
            """, new { request.CallId, request.TenantId, item.Direction, Now = now, Ttl = (long)options.ReservationTtlMs, Pool = pool },
            transaction, cancellationToken: ct)).ConfigureAwait(false);
        return worker is null ? new ReserveRow { ROutcome = "no_capacity" } : ReserveRow.Granted(worker);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} reservations in pool {Pool} failed; retrying them one at a time")]
    private static partial void LogBatchFallback(ILogger logger, Exception exception, string pool, int count);

    internal sealed record ReserveItem(ReservationRequest Request, string Direction);
}
