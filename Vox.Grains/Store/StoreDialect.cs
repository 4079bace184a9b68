namespace Vox.Grains.Store;

/// <summary>The SQL dialects the store speaks.</summary>
public enum StoreDialect
{
    /// <summary>Embedded single-host store (a file, WAL mode).</summary>
    Sqlite,
    /// <summary>Cluster store shared by every silo.</summary>
    Postgres,
}
