namespace Vox.Grains.Knowledge;

/// <summary>Knowledge bases: documents cut into chunks and searched by full text (and embeddings when configured).</summary>
public interface IKnowledgeBases : IKnowledgeSearch
{
    /// <summary>Creates an empty knowledge base for the tenant.</summary>
    Task<KnowledgeBaseInfo> CreateAsync(string tenantId, string name, CancellationToken cancellationToken);

    /// <summary>The tenant's knowledge bases.</summary>
    Task<IReadOnlyList<KnowledgeBaseInfo>> ListAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>One knowledge base; <see cref="NotFoundException"/> when missing or another tenant's.</summary>
    Task<KnowledgeBaseInfo> GetAsync(string tenantId, string knowledgeBaseId, CancellationToken cancellationToken);

    /// <summary>Removes a knowledge base with its documents and chunks.</summary>
    Task DeleteAsync(string tenantId, string knowledgeBaseId, CancellationToken cancellationToken);

    /// <summary>Adds a document (text, Markdown, CSV or HTML), chunks and indexes it.</summary>
    Task<KnowledgeDocumentInfo> AddDocumentAsync(string tenantId, string knowledgeBaseId, KnowledgeDocumentInput document, CancellationToken cancellationToken);

    /// <summary>The documents of a knowledge base.</summary>
    Task<IReadOnlyList<KnowledgeDocumentInfo>> ListDocumentsAsync(string tenantId, string knowledgeBaseId, CancellationToken cancellationToken);
}
