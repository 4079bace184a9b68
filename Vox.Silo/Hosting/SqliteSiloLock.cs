using Microsoft.Data.Sqlite;
using Vox.Grains.Store;

namespace Vox.Silo.Hosting;

/// <summary>
/// A SQLite store belongs to one silo: its Orleans silo uses localhost clustering, so a second silo on the same file
/// would form a cluster of its own, with a second activation of every pool grain and double-booked workers. The first
/// silo holds an exclusive lock on <c>&lt;database&gt;.silo.lock</c> for its lifetime; a second one stops at start-up
/// with a message that says what to do.
/// </summary>
public sealed class SqliteSiloLock : IDisposable
{
    private readonly FileStream _lock;

    private SqliteSiloLock(FileStream held) => _lock = held;

    /// <summary>Takes the lock of the SQLite database in <paramref name="store"/>, or throws naming the fix.</summary>
    public static SqliteSiloLock Acquire(StoreOptions store)
    {
        var file = Path.GetFullPath(new SqliteConnectionStringBuilder(store.ConnectionString).DataSource);
        var path = file + ".silo.lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new SqliteSiloLock(stream);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Another silo already runs on the SQLite database {file} ({ex.Message}). A SQLite store serves one silo; " +
                "stop the other silo, give this one its own Storage:ConnectionString, or run a cluster on PostgreSQL (Storage:Invariant=postgres).", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();
}
