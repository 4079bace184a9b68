namespace Vox.MediaWorker.Providers.Llm;

/// <summary>A message of the conversation context (<c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>).</summary>
public sealed record ChatMessage(string Role, string Content, string? ToolCallId = null, string? Name = null);
