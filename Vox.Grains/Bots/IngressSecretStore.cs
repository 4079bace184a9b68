using Dapper;
using Vox.Grains.Store;

namespace Vox.Grains.Bots;

/// <summary>
/// Ingress secrets in the store's <c>cluster_settings</c> table (name <c>ingress_secret:{botId}</c>), so every silo on the
/// store agrees on them without a migration of their own.
/// </summary>
public sealed class IngressSecretStore(IGrainStore store) : IIngressSecretStore
{
    private static string Key(string botId) => "ingress_secret:" + botId;

    /// <inheritdoc />
    public Task<string?> GetAsync(string botId, CancellationToken cancellationToken) =>
        store.ReadAsync((connection, ct) => connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT value FROM cluster_settings WHERE name = @Name", new { Name = Key(botId) }, cancellationToken: ct)), cancellationToken);

    /// <inheritdoc />
    public Task SetAsync(string botId, string secret, CancellationToken cancellationToken) =>
        store.WriteAsync((connection, transaction, ct) => connection.ExecuteAsync(new CommandDefinition(store.Sql(
            "INSERT INTO cluster_settings (name, value, created_at) VALUES (@Name, @Value, {now}) " +
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value, created_at = excluded.created_at"),
            new { Name = Key(botId), Value = secret }, transaction, cancellationToken: ct)), cancellationToken);
}
