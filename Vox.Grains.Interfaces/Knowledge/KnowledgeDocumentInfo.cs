namespace Vox.Grains.Knowledge;

/// <summary>A stored document and how many chunks it was cut into.</summary>
public sealed record KnowledgeDocumentInfo(string Id, string KnowledgeBaseId, string Name, string ContentType, int Chunks, DateTimeOffset CreatedAt);
