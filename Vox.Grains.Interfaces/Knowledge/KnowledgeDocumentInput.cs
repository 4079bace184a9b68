namespace Vox.Grains.Knowledge;

/// <summary>A document to add: its name, content type (<c>text/plain</c>, <c>text/markdown</c>, <c>text/csv</c>, <c>text/html</c>) and text.</summary>
public sealed record KnowledgeDocumentInput(string Name, string ContentType, string Content);
