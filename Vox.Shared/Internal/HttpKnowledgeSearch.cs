using Vox.Grains.Knowledge;

namespace Vox.Grains.Internal;

/// <summary><see cref="IKnowledgeSearch"/> over the internal API (workers never touch the store).</summary>
public sealed class HttpKnowledgeSearch(ClusterHttpClient client) : IKnowledgeSearch
{
    /// <inheritdoc />
    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string tenantId, string knowledgeBaseId, string query, int topK, CancellationToken cancellationToken) =>
        client.SendAsync<IReadOnlyList<KnowledgeHit>>(HttpMethod.Post, InternalApi.KnowledgeSearch(tenantId, knowledgeBaseId), new KnowledgeSearchRequest(query, topK), cancellationToken);
}
