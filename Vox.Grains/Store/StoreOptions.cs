using System.ComponentModel.DataAnnotations;

namespace Vox.Grains.Store;

/// <summary>The <c>Storage</c> section of <c>orleans.config.json</c>: which store the grains run on.</summary>
public sealed class StoreOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (default, embedded) or <c>postgres</c>.</summary>
    [Required]
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Storage:Invariant must be 'sqlite' or 'postgres'.")]
    public string Invariant { get; set; } = "sqlite";

    /// <summary>ADO.NET connection string; for SQLite the default is a file under <c>./data</c>.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/vox.db";

    /// <summary>How long a SQLite writer waits for the file lock before failing.</summary>
    [Range(100, 600_000)]
    public int BusyTimeoutMs { get; set; } = 15_000;

    /// <summary>Most PostgreSQL connections one silo opens (unless the connection string sets Maximum Pool Size): more only queue in the server.</summary>
    [Range(1, 1000)]
    public int MaxConnections { get; set; } = 32;

    /// <summary>The dialect named by <see cref="Invariant"/>.</summary>
    public StoreDialect Dialect => Invariant == "postgres" ? StoreDialect.Postgres : StoreDialect.Sqlite;
}
