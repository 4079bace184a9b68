namespace Vox.Grains.Knowledge;

/// <summary>A piece of a document: the heading path it sits under and its text.</summary>
public sealed record KnowledgeChunk(string Heading, string Text);
