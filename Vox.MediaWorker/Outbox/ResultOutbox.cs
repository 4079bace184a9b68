using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Vox.Grains;
using Vox.Grains.Calls;

namespace Vox.MediaWorker.Outbox;

/// <summary>
/// The worker's durable result outbox: a call's result is written to a SQLite file in the worker's data folder before
/// anything is sent, and delivered to the silo with retries until the Call grain acknowledges it (accepted or
/// duplicate). It survives the silo being down and the worker restarting; the grain accepts each result id once.
/// </summary>
/// <remarks>
/// Plain ADO.NET rather than Dapper: Dapper's type handlers load System.Private.Xml and its LINQ to XML at start (about
/// 2.5 MB of an idle worker's RSS) for four statements. The sender sleeps until a result is enqueued or the next retry
/// is due, so an idle worker does not query the file twice a second.
/// </remarks>
public sealed partial class ResultOutbox
{
    private readonly string _connectionString;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger<ResultOutbox> _logger;
    private const long MaxBackoffMs = 30_000;

    // After a pass that failed outright (e.g. the file was locked), the next one.
    private static readonly TimeSpan FailedPassRetry = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Opens (creating if needed) the outbox file <paramref name="path"/>.</summary>
    public ResultOutbox(string path, IGrainFactory grains, TimeProvider time, ILogger<ResultOutbox> logger)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Pooling = true }.ToString();
        _grains = grains;
        _time = time;
        _logger = logger;
        Execute("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS results (
                result_id TEXT PRIMARY KEY, call_id TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, delivered_at INTEGER NULL, last_error TEXT NULL);
            """);
    }

    /// <summary>Stores a result for delivery (idempotent by result id) and wakes the sender.</summary>
    public void Enqueue(string callId, CallResult result)
    {
        Execute("INSERT INTO results (result_id, call_id, payload, created_at, next_attempt_at) VALUES (@Id, @CallId, @Payload, @Now, 0) ON CONFLICT DO NOTHING",
            ("@Id", result.ResultId), ("@CallId", callId), ("@Payload", JsonSerializer.Serialize(result, VoxJson.Options)), ("@Now", _time.GetUtcNow().ToUnixTimeMilliseconds()));
        _wake.Release();
    }

    /// <summary>Results not yet acknowledged.</summary>
    public int PendingCount()
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT count(*) FROM results WHERE delivered_at IS NULL");
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Delivers until cancelled: due results in order, with exponential backoff (0.5 s doubling to 30 s) on failure.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await DeliverDueAsync(cancellationToken).ConfigureAwait(false);
                wait = UntilNextAttempt();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogOutboxFailed(_logger, ex);
                wait = FailedPassRetry;
            }

            try
            {
                await _wake.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Tries every due result once; returns how many were acknowledged.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = new List<(string ResultId, string CallId, string Payload, long Attempts)>();
        using (var connection = Open())
        using (var command = Command(connection,
                   "SELECT result_id, call_id, payload, attempts FROM results WHERE delivered_at IS NULL AND next_attempt_at <= @Now ORDER BY created_at", ("@Now", now)))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                due.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
            }
        }

        var delivered = 0;
        foreach (var (resultId, callId, payload, attempts) in due)
        {
            var result = JsonSerializer.Deserialize<CallResult>(payload, VoxJson.Options)!;
            try
            {
                var outcome = await _grains.GetGrain<ICallGrain>(callId).CompleteAsync(result, cancellationToken).ConfigureAwait(false);
                Mark(resultId, delivered: true, null, attempts + 1);
                delivered++;
                LogDelivered(_logger, callId, resultId, outcome, attempts + 1);
            }
            catch (Exception ex) when (ex is ConflictException or NotFoundException)
            {
                // The silo will never take it (another result won, or the call is unknown): keep it, stop retrying.
                Mark(resultId, delivered: true, ex.Message, attempts + 1);
                LogRefused(_logger, callId, resultId, ex.Message);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or VoxException && !cancellationToken.IsCancellationRequested)
            {
                var backoff = Math.Min(MaxBackoffMs, 500 * Math.Pow(2, Math.Min(attempts, 10)));
                Mark(resultId, delivered: false, ex.Message, attempts + 1, now + (long)backoff);
                LogRetry(_logger, callId, resultId, attempts + 1, backoff, ex.Message);
            }
        }

        return delivered;
    }

    private void Mark(string resultId, bool delivered, string? error, long attempts, long nextAttemptAt = 0)
    {
        Execute(
            "UPDATE results SET attempts = @Attempts, last_error = @Error, next_attempt_at = @Next, delivered_at = CASE WHEN @Delivered THEN @Now ELSE NULL END WHERE result_id = @Id",
            ("@Id", resultId), ("@Attempts", attempts), ("@Error", error), ("@Next", nextAttemptAt), ("@Delivered", delivered), ("@Now", _time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    // Until the earliest retry of a result not yet delivered (at most the longest backoff); forever when none is pending.
    private TimeSpan UntilNextAttempt()
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT min(next_attempt_at) FROM results WHERE delivered_at IS NULL");
        if (command.ExecuteScalar() is not long next)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var left = next - _time.GetUtcNow().ToUnixTimeMilliseconds();
        return TimeSpan.FromMilliseconds(Math.Clamp(left, 0, MaxBackoffMs));
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var timeout = Command(connection, "PRAGMA busy_timeout=5000;");
        timeout.ExecuteNonQuery();
        return connection;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: result {ResultId} delivered ({Outcome}) after {Attempts} attempts")]
    private static partial void LogDelivered(ILogger logger, string callId, string resultId, CompletionOutcome outcome, long attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: result {ResultId} not delivered (attempt {Attempts}), retrying in {BackoffMs} ms: {Error}")]
    private static partial void LogRetry(ILogger logger, string callId, string resultId, long attempts, double backoffMs, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId}: the silo refused result {ResultId}: {Error}")]
    private static partial void LogRefused(ILogger logger, string callId, string resultId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Result outbox pass failed")]
    private static partial void LogOutboxFailed(ILogger logger, Exception exception);
}
