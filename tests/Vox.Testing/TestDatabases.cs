using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Vox.Grains.Store;

namespace Vox.Testing;

/// <summary>
/// Real databases for tests: a fresh SQLite file, or a fresh PostgreSQL database with a unique name on the server
/// named by <c>VOX_TEST_POSTGRES</c> (the test script starts one on 127.0.0.1). Unique names instead of clean-up,
/// so test classes run in parallel.
/// </summary>
public static class TestDatabases
{
    /// <summary>Environment variable with the PostgreSQL server's connection string.</summary>
    public const string PostgresVariable = "VOX_TEST_POSTGRES";

    /// <summary>The dialects every store test runs against.</summary>
    public static IEnumerable<object[]> Dialects => [["sqlite"], ["postgres"]];

    /// <summary>Store options for a new, empty database of <paramref name="dialect"/>.</summary>
    public static StoreOptions NewStore(string dialect) => dialect switch
    {
        "sqlite" => new StoreOptions { Invariant = "sqlite", ConnectionString = $"Data Source={NewSqliteFile()}" },
        "postgres" => new StoreOptions { Invariant = "postgres", ConnectionString = NewPostgresDatabase() },
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Use 'sqlite' or 'postgres'."),
    };

    /// <summary>A new, migrated store of <paramref name="dialect"/> (dispose it when done), with its options.</summary>
    public static async Task<(IGrainStore Store, StoreOptions Options)> NewMigratedStoreAsync(string dialect)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var options = NewStore(dialect);
        IGrainStore store = options.Dialect == StoreDialect.Postgres
            ? new PostgresGrainStore(options, NullLogger<PostgresGrainStore>.Instance)
            : new SqliteGrainStore(options, NullLogger<SqliteGrainStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        return (store, options);
    }

    /// <summary>Path of a new SQLite file in a fresh temp folder.</summary>
    public static string NewSqliteFile()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vox-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, "vox.db");
    }

    /// <summary>Connection string naming a new PostgreSQL database (created by the store's migration).</summary>
    public static string NewPostgresDatabase()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests through ./test.sh (it installs and starts PostgreSQL on 127.0.0.1), " +
                $"or set {PostgresVariable}='Host=127.0.0.1;Port=5432;Username=postgres;Password=...' to a server you run.");
        }

        return new NpgsqlConnectionStringBuilder(server)
        {
            Database = "vox_t_" + Guid.NewGuid().ToString("N")[..16],
            Pooling = true,
            MaxPoolSize = 50,
        }.ConnectionString;
    }
}
