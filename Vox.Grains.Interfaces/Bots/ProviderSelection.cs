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

    /// <summary>Provider-specific options passed through.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}
