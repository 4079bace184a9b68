namespace Vox.Grains.Knowledge;

/// <summary>A knowledge base row with its counts.</summary>
internal sealed class KnowledgeBaseRow
{
    public string Id { get; set; } = "";

    public string TenantId { get; set; } = "";

    public string Name { get; set; } = "";

    public long CreatedAt { get; set; }

    public long Documents { get; set; }

    public long Chunks { get; set; }

    public KnowledgeBaseInfo ToInfo() => new(Id, TenantId, Name, (int)Documents, (int)Chunks, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
}
