using System.Collections.Concurrent;
using Vox.Grains.Knowledge;

namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>A knowledge search double: answers from one tenant's chunks only and records every search.</summary>
internal sealed class ScriptedKnowledge(string tenantId, string knowledgeBaseId, params KnowledgeHit[] hits) : IKnowledgeSearch
{
    public ConcurrentQueue<(string TenantId, string KnowledgeBaseId, string Query)> Searches { get; } = new();

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string tenant, string kb, string query, int topK, CancellationToken cancellationToken)
    {
        Searches.Enqueue((tenant, kb, query));
        IReadOnlyList<KnowledgeHit> found = tenant == tenantId && kb == knowledgeBaseId ? hits.Take(topK).ToList() : [];
        return Task.FromResult(found);
    }
}
