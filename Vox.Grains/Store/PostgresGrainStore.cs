using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Vox.Grains.Store;

/// <summary>The cluster store on PostgreSQL: every silo shares it; row locks and the server clock make decisions agree.</summary>
public sealed partial class PostgresGrainStore : IGrainStore, IAsyncDisposable
{
    private const int MaxAttempts = 6;
    private const long MigrationLockKey = 0x566F78_4D6967; // "VoxMig"

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly ILogger<PostgresGrainStore> _logger;

    /// <summary>Creates the store over the database named by <paramref name="options"/>.</summary>
    public PostgresGrainStore(StoreOptions options, ILogger<PostgresGrainStore> logger)
    {
        _builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        if (string.IsNullOrWhiteSpace(_builder.Database))
        {
            throw new InvalidOperationException("Storage:ConnectionString for postgres must name a Database.");
        }

        if (!options.ConnectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase) &&
            !options.ConnectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            _builder.MaxPoolSize = options.MaxConnections;
        }

        _dataSource = NpgsqlDataSource.Create(_builder.ConnectionString);
        _logger = logger;
    }

    /// <inheritdoc />
    public StoreDialect Dialect => StoreDialect.Postgres;

    /// <inheritdoc />
    public string Sql(string sql) => sql
        .Replace("{now}", "(extract(epoch FROM clock_timestamp()) * 1000)::bigint", StringComparison.Ordinal)
        .Replace("{for_update}", "FOR UPDATE", StringComparison.Ordinal)
        .Replace("{skip_locked}", "FOR UPDATE SKIP LOCKED", StringComparison.Ordinal);

    /// <inheritdoc />
    public async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await work(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<T> StatementAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await work(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected && attempt < MaxAttempts)
            {
                LogConflictRetry(_logger, attempt, ex.SqlState);
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt + Random.Shared.Next(10)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected && attempt < MaxAttempts)
            {
                LogConflictRetry(_logger, attempt, ex.SqlState);
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt + Random.Shared.Next(10)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var applied = await WriteAsync(async (connection, transaction, ct) =>
        {
            // Several silos may start together: the advisory lock lets one migrate while the others wait.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@Key)", new { Key = MigrationLockKey }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL)",
                transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
            return await MigrationRunner.ApplyPendingAsync(this, connection, transaction, _logger, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        LogMigrated(_logger, _builder.Host ?? "?", _builder.Database!, applied);
    }

    /// <inheritdoc />
    public bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var probe = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            LogCreatingDatabase(_logger, _builder.Database!);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword || ex.SqlState == PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw new InvalidOperationException(
                $"PostgreSQL refused user '{_builder.Username}' on {_builder.Host}:{_builder.Port}: check Storage:ConnectionString (VOX__Storage__ConnectionString) and the server's pg_hba.conf.", ex);
        }

        var admin = new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync($"CREATE DATABASE \"{_builder.Database!.Replace("\"", "\"\"", StringComparison.Ordinal)}\"").ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another silo created it first.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "PostgreSQL transaction conflict {SqlState}, retrying (attempt {Attempt})")]
    private static partial void LogConflictRetry(ILogger logger, int attempt, string sqlState);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating PostgreSQL database {Database}")]
    private static partial void LogCreatingDatabase(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL store {Host}/{Database} ready ({Applied} migrations applied now)")]
    private static partial void LogMigrated(ILogger logger, string host, string database, int applied);
}
