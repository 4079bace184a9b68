using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Vox.Grains.Store;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writers take the file lock up front (<c>BEGIN IMMEDIATE</c>)
/// and wait on the busy timeout, so several processes on one host can share it safely.
/// </summary>
public sealed partial class SqliteGrainStore : IGrainStore
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int MaxAttempts = 8;

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly ILogger<SqliteGrainStore> _logger;

    /// <summary>Creates the store over the file named by <paramref name="options"/>.</summary>
    public SqliteGrainStore(StoreOptions options, ILogger<SqliteGrainStore> logger)
    {
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, options.BusyTimeoutMs / 1000),
        };
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:")
        {
            throw new InvalidOperationException("Storage:ConnectionString for sqlite must name a file (e.g. 'Data Source=data/vox.db'); an in-memory database cannot be shared.");
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource);
        FilePath = builder.DataSource;
        _connectionString = builder.ToString();
        _busyTimeoutMs = options.BusyTimeoutMs;
        _logger = logger;
    }

    /// <summary>Full path of the database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public StoreDialect Dialect => StoreDialect.Sqlite;

    /// <inheritdoc />
    public string Sql(string sql) => sql
        .Replace("{now}", "CAST(unixepoch('subsec') * 1000 AS INTEGER)", StringComparison.Ordinal)
        .Replace("{for_update}", "", StringComparison.Ordinal)
        .Replace("{skip_locked}", "", StringComparison.Ordinal);

    /// <inheritdoc />
    public async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await work(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<T> StatementAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync((connection, _, ct) => work(connection, ct), cancellationToken);

    /// <inheritdoc />
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = connection.BeginTransaction(deferred: false);
                var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked && attempt < MaxAttempts)
            {
                LogBusyRetry(_logger, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt + Random.Shared.Next(20)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            // WAL is a property of the file: set once, outside any transaction, and it persists.
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;").ConfigureAwait(false);
        }

        var applied = await WriteAsync(async (connection, transaction, ct) =>
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                transaction: transaction).ConfigureAwait(false);
            return await MigrationRunner.ApplyPendingAsync(this, connection, transaction, _logger, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        LogMigrated(_logger, FilePath, applied);
    }

    /// <inheritdoc />
    public bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19 } ex && ex.Message.Contains("UNIQUE", StringComparison.Ordinal);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout={_busyTimeoutMs}; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SQLite busy, retrying transaction (attempt {Attempt}): {Reason}")]
    private static partial void LogBusyRetry(ILogger logger, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite store {Path} ready ({Applied} migrations applied now)")]
    private static partial void LogMigrated(ILogger logger, string path, int applied);
}
