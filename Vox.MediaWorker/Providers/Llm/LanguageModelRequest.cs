using Vox.Grains.Bots;

namespace Vox.MediaWorker.Providers.Llm;

/// <summary>One completion request: the conversation, the tools the bot may call and model settings.</summary>
public sealed record LanguageModelRequest(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<ToolDefinition> Tools, string? Model = null, double? Temperature = null);
