namespace Vox.Grains.Knowledge;

/// <summary>Searches a tenant's knowledge base; a knowledge base of another tenant is never searched.</summary>
public interface IKnowledgeSearch
{
    /// <summary>The best <paramref name="topK"/> chunks of <paramref name="knowledgeBaseId"/> for <paramref name="query"/>.</summary>
    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string tenantId, string knowledgeBaseId, string query, int topK, CancellationToken cancellationToken);
}
