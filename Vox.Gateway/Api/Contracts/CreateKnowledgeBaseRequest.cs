namespace Vox.Gateway.Api.Contracts;

/// <summary>Body of <c>POST /v1/knowledge-bases</c>.</summary>
public sealed record CreateKnowledgeBaseRequest(string Name);
