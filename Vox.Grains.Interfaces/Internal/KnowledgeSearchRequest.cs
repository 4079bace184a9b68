namespace Vox.Grains.Internal;

/// <summary>Body of an internal knowledge search.</summary>
public sealed record KnowledgeSearchRequest(string Query, int TopK);
