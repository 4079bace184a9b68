namespace Vox.MediaWorker.Providers.Llm;

/// <summary>Something the model streamed.</summary>
public abstract record LanguageModelEvent;

/// <summary>More reply text.</summary>
public sealed record TextDelta(string Text) : LanguageModelEvent;

/// <summary>The model calls a tool with JSON arguments.</summary>
public sealed record ToolCallRequest(string Id, string Name, string ArgumentsJson) : LanguageModelEvent;

/// <summary>Tokens used by the request.</summary>
public sealed record UsageReport(int PromptTokens, int CompletionTokens) : LanguageModelEvent
{
    /// <summary>Prompt tokens served from the provider's prompt cache, when it reports them.</summary>
    public int CachedPromptTokens { get; init; }
}
