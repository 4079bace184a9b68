using Vox.Grains.Bots;

namespace Vox.MediaWorker.Providers.Llm;

/// <summary>One completion request: the conversation, the tools the bot may call and model settings.</summary>
/// <param name="Messages">The conversation so far.</param>
/// <param name="Tools">Tools the model may call.</param>
/// <param name="Model">Model to use; null means the provider's default.</param>
/// <param name="Temperature">Sampling temperature.</param>
/// <param name="CacheKey">Stable key of the prompt prefix (the bot), for providers that take prompt-cache hints.</param>
/// <param name="JsonOutput">Ask for a JSON object as the whole answer (post-call analysis).</param>
public sealed record LanguageModelRequest(
    IReadOnlyList<ChatMessage> Messages,
    IReadOnlyList<ToolDefinition> Tools,
    string? Model = null,
    double? Temperature = null,
    string? CacheKey = null,
    bool JsonOutput = false);
