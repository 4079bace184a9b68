namespace Vox.Grains.Knowledge;

/// <summary>A chunk found by a search, with the heading path it sits under and its score (higher is better).</summary>
public sealed record KnowledgeHit(string ChunkId, string DocumentId, string Heading, string Text, double Score);
