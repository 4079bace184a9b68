namespace Vox.MediaWorker.Providers.OpenAi;

/// <summary>One OpenAI-compatible endpoint (OpenAI, OpenRouter, Groq, Gemini's OpenAI endpoint, Ollama, vLLM...).</summary>
public sealed class OpenAiEndpointOptions
{
    /// <summary>Base URL ending before <c>/chat/completions</c>, e.g. <c>https://api.openai.com/v1</c>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Model used when the bot names none.</summary>
    public string DefaultModel { get; set; } = "";

    /// <summary>Key used when the tenant stored none (from configuration or environment, never a committed file).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Whether a key is required (local servers need none).</summary>
    public bool RequiresKey { get; set; } = true;

    /// <summary>Prompt-cache hint style: <c>none</c>, <c>openai</c> (<c>prompt_cache_key</c>) or <c>anthropic</c> (<c>cache_control</c> on the system prompt).</summary>
    public string PromptCache { get; set; } = "none";

    /// <summary>Extra headers (OpenRouter's <c>HTTP-Referer</c>, <c>X-Title</c>).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
