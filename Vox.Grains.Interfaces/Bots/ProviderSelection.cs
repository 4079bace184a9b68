namespace Vox.Grains.Bots;

/// <summary>Which provider serves a layer (STT, LLM or TTS) and with what model or voice.</summary>
public sealed record ProviderSelection
{
    /// <summary>Provider name, e.g. <c>offline</c>, <c>deepgram</c>, <c>openai</c>, <c>elevenlabs</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>Model name at the provider.</summary>
    public string? Model { get; init; }

    /// <summary>Voice id (TTS only).</summary>
    public string? Voice { get; init; }

    /// <summary>Sampling temperature (LLM only).</summary>
    public double? Temperature { get; init; }

    /// <summary>Endpoint override (an OpenAI-compatible base URL such as a local Ollama or vLLM server).</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Models tried in order when the model fails before its first token (LLM only).</summary>
    public IReadOnlyList<string> FallbackModels { get; init; } = [];

    /// <summary>Voice used for the rest of a sentence when the voice fails mid-sentence (TTS only).</summary>
    public string? FallbackVoice { get; init; }

    /// <summary>Provider-specific options passed through.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}
