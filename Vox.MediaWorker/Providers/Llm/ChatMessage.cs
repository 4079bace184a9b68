namespace Vox.MediaWorker.Providers.Llm;

/// <summary>
/// A message of the conversation context (<c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>); an assistant
/// message may carry the tool calls the model made, a tool message the id of the call it answers.
/// </summary>
public sealed record ChatMessage(string Role, string Content, string? ToolCallId = null, string? Name = null, IReadOnlyList<ToolCallRequest>? ToolCalls = null);
