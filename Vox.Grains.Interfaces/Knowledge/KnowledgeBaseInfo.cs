namespace Vox.Grains.Knowledge;

/// <summary>A knowledge base.</summary>
public sealed record KnowledgeBaseInfo(string Id, string TenantId, string Name, int Documents, int Chunks, DateTimeOffset CreatedAt);
