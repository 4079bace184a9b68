using Dapper;
using Vox.Grains.Store;

namespace Vox.Grains.Cluster;

/// <summary>Cluster-wide values kept in the store, so every silo on it agrees (e.g. a generated cluster token).</summary>
public sealed class ClusterSettings(IGrainStore store)
{
    /// <summary>The stored value of <paramref name="name"/>; if none, stores <paramref name="create"/>'s value first (first writer wins).</summary>
    public Task<string> GetOrCreateAsync(string name, Func<string> create, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(store.Sql(
                "INSERT INTO cluster_settings (name, value, created_at) VALUES (@Name, @Value, {now}) ON CONFLICT (name) DO NOTHING"),
                new { Name = name, Value = create() }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT value FROM cluster_settings WHERE name = @Name",
                new { Name = name }, transaction, cancellationToken: ct)).ConfigureAwait(false) ?? "";
        }, cancellationToken);
}
