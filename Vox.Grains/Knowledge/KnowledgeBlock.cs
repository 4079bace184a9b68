namespace Vox.Grains.Knowledge;

/// <summary>A paragraph (or CSV row) of a document with the heading path above it.</summary>
public sealed record KnowledgeBlock(string Heading, string Text);
