using System.ComponentModel.DataAnnotations;

namespace Vox.Grains.Knowledge;

/// <summary>The <c>Knowledge</c> section: chunking, and the optional embeddings endpoint and Qdrant for hybrid ranking.</summary>
public sealed class KnowledgeOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Knowledge";

    /// <summary>Longest chunk in characters (sentences are never cut).</summary>
    [Range(100, 10_000)]
    public int MaxChunkChars { get; set; } = 600;

    /// <summary>Sentences repeated at the start of the next chunk of the same section.</summary>
    [Range(0, 5)]
    public int OverlapSentences { get; set; } = 1;

    /// <summary>Largest document accepted, in characters.</summary>
    [Range(1_000, 50_000_000)]
    public int MaxDocumentChars { get; set; } = 5_000_000;

    /// <summary>OpenAI-compatible base URL for <c>/embeddings</c> (e.g. <c>https://api.openai.com/v1</c>); empty means full-text only.</summary>
    public string? EmbeddingsBaseUrl { get; set; }

    /// <summary>Embedding model.</summary>
    public string EmbeddingsModel { get; set; } = "text-embedding-3-small";

    /// <summary>Key for the embeddings endpoint (configuration or environment).</summary>
    public string? EmbeddingsApiKey { get; set; }

    /// <summary>Qdrant REST URL (e.g. <c>http://127.0.0.1:6333</c>); empty keeps vectors in the store.</summary>
    public string? QdrantUrl { get; set; }

    /// <summary>Qdrant API key, if the server needs one.</summary>
    public string? QdrantApiKey { get; set; }

    /// <summary>Qdrant collection holding every tenant's chunks (filtered by tenant and knowledge base).</summary>
    public string QdrantCollection { get; set; } = "vox_knowledge";

    /// <summary>Candidates taken from each ranking before fusing them.</summary>
    [Range(3, 200)]
    public int FusionCandidates { get; set; } = 20;
}
