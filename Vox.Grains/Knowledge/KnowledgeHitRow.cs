namespace Vox.Grains.Knowledge;

/// <summary>A chunk found by a search query.</summary>
internal sealed class KnowledgeHitRow
{
    public string ChunkId { get; set; } = "";

    public string DocumentId { get; set; } = "";

    public string Heading { get; set; } = "";

    public string Text { get; set; } = "";

    public double Score { get; set; }

    public KnowledgeHit ToHit() => new(ChunkId, DocumentId, Heading, Text, Score);
}
