using System.ComponentModel.DataAnnotations;

namespace Vox.MediaWorker.Providers.OpenAi;

/// <summary>The <c>Providers:Llm</c> section: timeouts and retries of the OpenAI-compatible client, and its named endpoints.</summary>
public sealed class LanguageModelOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Providers:Llm";

    /// <summary>Time allowed for the response headers.</summary>
    [Range(100, 120_000)]
    public int ConnectTimeoutMs { get; set; } = 5_000;

    /// <summary>Time allowed from the request to the first token (text or tool call).</summary>
    [Range(100, 120_000)]
    public int FirstTokenTimeoutMs { get; set; } = 8_000;

    /// <summary>Attempts per model before moving to the next fallback model.</summary>
    [Range(1, 10)]
    public int AttemptsPerModel { get; set; } = 2;

    /// <summary>Pause before a retry, doubled each time.</summary>
    [Range(0, 10_000)]
    public int RetryDelayMs { get; set; } = 150;

    /// <summary>Endpoints by provider name, as bots select them; configuration adds to or overrides the defaults.</summary>
    public Dictionary<string, OpenAiEndpointOptions> Endpoints { get; set; } = Defaults();

    private static Dictionary<string, OpenAiEndpointOptions> Defaults() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = new() { BaseUrl = "https://api.openai.com/v1", DefaultModel = "gpt-4o-mini", PromptCache = "openai" },
        ["openrouter"] = new() { BaseUrl = "https://openrouter.ai/api/v1", DefaultModel = "openai/gpt-4o-mini", PromptCache = "anthropic" },
        ["groq"] = new() { BaseUrl = "https://api.groq.com/openai/v1", DefaultModel = "llama-3.3-70b-versatile" },
        ["gemini"] = new() { BaseUrl = "https://generativelanguage.googleapis.com/v1beta/openai", DefaultModel = "gemini-2.0-flash" },
        ["ollama"] = new() { BaseUrl = "http://127.0.0.1:11434/v1", DefaultModel = "llama3.2", RequiresKey = false },
        ["vllm"] = new() { BaseUrl = "http://127.0.0.1:8000/v1", DefaultModel = "default", RequiresKey = false },
    };
}
