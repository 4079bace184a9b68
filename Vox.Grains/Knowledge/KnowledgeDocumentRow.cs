namespace Vox.Grains.Knowledge;

/// <summary>A knowledge document row.</summary>
internal sealed class KnowledgeDocumentRow
{
    public string Id { get; set; } = "";

    public string KnowledgeBaseId { get; set; } = "";

    public string Name { get; set; } = "";

    public string ContentType { get; set; } = "";

    public long Chunks { get; set; }

    public long CreatedAt { get; set; }

    public KnowledgeDocumentInfo ToInfo() => new(Id, KnowledgeBaseId, Name, ContentType, (int)Chunks, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
}
