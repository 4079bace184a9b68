using System.Data.Common;

namespace Vox.Grains.Store;

/// <summary>
/// The one seam between grains and the database. Every grain operation runs inside <see cref="WriteAsync{T}"/>
/// (one transaction, retried whole on transient conflicts) or <see cref="ReadAsync{T}"/>.
/// </summary>
public interface IGrainStore
{
    /// <summary>The SQL dialect of this store.</summary>
    StoreDialect Dialect { get; }

    /// <summary>
    /// Expands dialect tokens in <paramref name="sql"/>: <c>{now}</c> (the database clock in epoch milliseconds),
    /// <c>{for_update}</c> and <c>{skip_locked}</c> (row locks, empty on SQLite where the transaction holds the file lock).
    /// </summary>
    string Sql(string sql);

    /// <summary>Runs <paramref name="work"/> on an open connection without a transaction.</summary>
    Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs one self-contained statement in autocommit mode (it is its own transaction), retried on transient conflicts.</summary>
    Task<T> StatementAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one write transaction, committed when it returns.</summary>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Creates the database if needed and applies pending migrations (safe when several silos start at once).</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>True when <paramref name="exception"/> is a unique-constraint violation.</summary>
    bool IsUniqueViolation(Exception exception);
}
