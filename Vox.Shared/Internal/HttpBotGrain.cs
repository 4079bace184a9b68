using Vox.Grains.Bots;

namespace Vox.Grains.Internal;

/// <summary><see cref="IBotGrain"/> over the internal API.</summary>
public sealed class HttpBotGrain(ClusterHttpClient client, string botId) : IBotGrain
{
    /// <inheritdoc />
    public string Key => botId;

    private string Path => InternalApi.Bot(botId);

    /// <inheritdoc />
    public Task<BotRecord> CreateAsync(string tenantId, BotDefinition definition, CancellationToken cancellationToken) =>
        client.SendAsync<BotRecord>(HttpMethod.Post, Path, new BotWriteRequest(tenantId, definition, null), cancellationToken);

    /// <inheritdoc />
    public Task<BotRecord> UpdateAsync(string tenantId, BotDefinition definition, int? expectedVersion, CancellationToken cancellationToken) =>
        client.SendAsync<BotRecord>(HttpMethod.Put, Path, new BotWriteRequest(tenantId, definition, expectedVersion), cancellationToken);

    /// <inheritdoc />
    public Task<BotRecord> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        client.SendAsync<BotRecord>(HttpMethod.Get, Path + "?tenantId=" + Uri.EscapeDataString(tenantId), null, cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(string tenantId, CancellationToken cancellationToken) =>
        client.SendAsync<InternalAck>(HttpMethod.Delete, Path + "?tenantId=" + Uri.EscapeDataString(tenantId), null, cancellationToken);

    /// <inheritdoc />
    public Task<BotRuntimeConfig> GetRuntimeConfigAsync(CancellationToken cancellationToken) =>
        client.SendAsync<BotRuntimeConfig>(HttpMethod.Get, Path + "/runtime-config", null, cancellationToken);
}
