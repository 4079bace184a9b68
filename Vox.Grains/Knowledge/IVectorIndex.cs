namespace Vox.Grains.Knowledge;

/// <summary>Where chunk vectors live when they do not live in the store (Qdrant).</summary>
public interface IVectorIndex
{
    /// <summary>Adds the vectors of a document's chunks.</summary>
    Task UpsertAsync(string tenantId, string knowledgeBaseId, IReadOnlyList<(string ChunkId, float[] Vector)> points, CancellationToken cancellationToken);

    /// <summary>The nearest chunks of one tenant's knowledge base, best first.</summary>
    Task<IReadOnlyList<string>> SearchAsync(string tenantId, string knowledgeBaseId, float[] vector, int limit, CancellationToken cancellationToken);

    /// <summary>Removes a knowledge base's vectors.</summary>
    Task DeleteAsync(string tenantId, string knowledgeBaseId, CancellationToken cancellationToken);
}
