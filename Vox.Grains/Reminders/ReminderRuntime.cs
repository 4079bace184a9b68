using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Grains.Cluster;
using Vox.Grains.Store;

namespace Vox.Grains.Reminders;

/// <summary>
/// Fires due reminders. A silo claims a reminder with a token and an expiry on the store's clock; no other silo
/// can claim it until the claim is released or lapses, and the handler is cancelled before the lapse, so a reminder
/// never runs on two silos at once. A silo that dies mid-run leaves the claim to lapse and another silo fires it
/// (at-least-once). A reminder sticks to the silo that fired it last (as an Orleans reminder goes to its grain's
/// activation): other silos leave it alone until it is overdue by two poll intervals, so a campaign's ticks keep landing
/// on its lease holder instead of wandering across the cluster.
/// </summary>
public sealed partial class ReminderRuntime(
    IGrainStore store,
    IEnumerable<IReminderHandler> handlers,
    SiloIdentity silo,
    IOptions<ReminderOptions> options,
    TimeProvider time,
    ILogger<ReminderRuntime> logger) : BackgroundService
{
    private readonly Dictionary<string, IReminderHandler> _handlers = handlers.ToDictionary(h => h.GrainType, StringComparer.Ordinal);
    private readonly ReminderOptions _options = options.Value;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0)
        {
            return;
        }

        var polls = 0L;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.PollIntervalMs), time);
        do
        {
            try
            {
                var claims = await ClaimDueAsync(pruneRuns: polls++ % 600 == 0, stoppingToken).ConfigureAwait(false);
                await Task.WhenAll(claims.Select(c => FireAsync(c, stoppingToken))).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPollFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Claims and fires every due reminder once; returns how many fired (used by tests and tools).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var claims = await ClaimDueAsync(pruneRuns: false, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(claims.Select(c => FireAsync(c, cancellationToken))).ConfigureAwait(false);
        return claims.Count;
    }

    private Task<List<Claim>> ClaimDueAsync(bool pruneRuns, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            // Placeholders spelled out: Dapper's list expansion differs between the two providers.
            var types = new DynamicParameters(new { Max = _options.MaxPerPoll, Silo = silo.SiloId, Grace = 2L * _options.PollIntervalMs });
            var names = _handlers.Keys.Select((type, i) =>
            {
                types.Add($"T{i}", type);
                return $"@T{i}";
            }).ToList();
            var due = (await connection.QueryAsync<Claim>(new CommandDefinition(store.Sql($$"""
                SELECT grain_type, grain_key, name FROM reminders
                WHERE grain_type IN ({{string.Join(", ", names)}}) AND next_due_at <= {now} AND (claim_expires_at IS NULL OR claim_expires_at <= {now})
                  AND (last_fired_by IS NULL OR last_fired_by = @Silo OR next_due_at <= {now} - @Grace)
                ORDER BY next_due_at LIMIT @Max {skip_locked}
                """), types, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            foreach (var claim in due)
            {
                claim.Token = Guid.NewGuid().ToString("N");
                await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
                    UPDATE reminders SET claimed_by = @Silo, claim_token = @Token, claim_expires_at = {now} + @Ttl
                    WHERE grain_type = @GrainType AND grain_key = @GrainKey AND name = @Name
                    """), new { Silo = silo.SiloId, claim.Token, Ttl = (long)ClaimTtl(claim).TotalMilliseconds, claim.GrainType, claim.GrainKey, claim.Name },
                    transaction, cancellationToken: ct)).ConfigureAwait(false);
                claim.RunId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(store.Sql("""
                    INSERT INTO reminder_runs (grain_type, grain_key, name, silo_id, claim_token, started_at)
                    VALUES (@GrainType, @GrainKey, @Name, @Silo, @Token, {now}) RETURNING id
                    """), new { claim.GrainType, claim.GrainKey, claim.Name, Silo = silo.SiloId, claim.Token }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            }

            if (pruneRuns)
            {
                await connection.ExecuteAsync(new CommandDefinition(store.Sql("DELETE FROM reminder_runs WHERE started_at < {now} - @Retention"),
                    new { Retention = (long)_options.RunRetentionMs }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            }

            return due;
        }, cancellationToken);

    private async Task FireAsync(Claim claim, CancellationToken stoppingToken)
    {
        // Stop the handler well before the claim lapses on the store, so no other silo can start it while it still runs.
        var budget = ClaimTtl(claim) * 0.8;
        using var deadline = new CancellationTokenSource(budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
        string outcome;
        try
        {
            await _handlers[claim.GrainType].ReceiveReminderAsync(claim.GrainKey, claim.Name, linked.Token).ConfigureAwait(false);
            outcome = "ok";
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            outcome = "timeout";
            LogHandlerTimedOut(logger, claim.GrainType, claim.GrainKey, claim.Name, budget.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the claim lapses and another silo fires the reminder.
            return;
        }
        catch (Exception ex)
        {
            outcome = "error: " + ex.GetType().Name;
            LogHandlerFailed(logger, ex, claim.GrainType, claim.GrainKey, claim.Name);
        }

        try
        {
            await store.WriteAsync((connection, transaction, ct) => CompleteAsync(connection, transaction, claim, outcome, ct), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogCompleteFailed(logger, ex, claim.GrainType, claim.GrainKey, claim.Name);
        }
    }

    private TimeSpan ClaimTtl(Claim claim) => _handlers[claim.GrainType].ClaimTtl ?? TimeSpan.FromMilliseconds(_options.ClaimTtlMs);

    private async Task<int> CompleteAsync(DbConnection connection, DbTransaction transaction, Claim claim, string outcome, CancellationToken ct)
    {
        // Fixed-rate schedule from the previous due time; a reminder that fell behind fires again at once.
        await connection.ExecuteAsync(new CommandDefinition(store.Sql("""
            UPDATE reminders SET claimed_by = NULL, claim_token = NULL, claim_expires_at = NULL,
                last_fired_at = {now}, last_fired_by = @Silo, fire_count = fire_count + 1,
                next_due_at = CASE WHEN next_due_at + period_ms > {now} THEN next_due_at + period_ms ELSE {now} END
            WHERE grain_type = @GrainType AND grain_key = @GrainKey AND name = @Name AND claim_token = @Token
            """), new { Silo = silo.SiloId, claim.GrainType, claim.GrainKey, claim.Name, claim.Token }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(store.Sql(
            "UPDATE reminder_runs SET finished_at = {now}, outcome = @Outcome WHERE id = @RunId"),
            new { claim.RunId, Outcome = outcome }, transaction, cancellationToken: ct)).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder poll failed; retrying next tick")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {GrainType}/{GrainKey}/{Name} handler ran past {BudgetMs} ms and was cancelled")]
    private static partial void LogHandlerTimedOut(ILogger logger, string grainType, string grainKey, string name, double budgetMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reminder {GrainType}/{GrainKey}/{Name} handler failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string grainType, string grainKey, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the run of reminder {GrainType}/{GrainKey}/{Name}; its claim will lapse")]
    private static partial void LogCompleteFailed(ILogger logger, Exception exception, string grainType, string grainKey, string name);

    private sealed class Claim
    {
        public string GrainType { get; set; } = "";
        public string GrainKey { get; set; } = "";
        public string Name { get; set; } = "";
        public string Token { get; set; } = "";
        public long RunId { get; set; }
    }
}
