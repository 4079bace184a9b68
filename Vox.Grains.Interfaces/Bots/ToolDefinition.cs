using System.Text.Json;

namespace Vox.Grains.Bots;

/// <summary>A tool the bot may call: built-in (<c>end_call</c>, <c>transfer_call</c>...) or a custom HTTP tool.</summary>
public sealed record ToolDefinition
{
    /// <summary>Name the model calls the tool by.</summary>
    public required string Name { get; init; }

    /// <summary>Kind: <c>end_call</c>, <c>transfer_call</c>, <c>detected_voicemail</c>, <c>search_knowledge</c> or <c>http</c>.</summary>
    public required string Type { get; init; }

    /// <summary>What the tool does, for the model.</summary>
    public string Description { get; init; } = "";

    /// <summary>JSON schema of the arguments.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>Target of a custom HTTP tool.</summary>
    public string? Url { get; init; }

    /// <summary>HTTP method of a custom HTTP tool.</summary>
    public string? Method { get; init; }

    /// <summary>Transfer destination (SIP URI or E.164) for <c>transfer_call</c>.</summary>
    public string? Destination { get; init; }

    /// <summary>Time limit for the tool in milliseconds.</summary>
    public int TimeoutMs { get; init; } = 10_000;

    /// <summary>Headers of a custom HTTP tool; <c>{{secret:NAME}}</c> in a value is replaced by the tenant's secret NAME at call time.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Largest response body a custom HTTP tool may return, in bytes (larger is an error for the model).</summary>
    public int MaxResponseBytes { get; init; } = 65_536;

    /// <summary>What the bot says while the tool runs, if it takes longer than <see cref="FillerAfterMs"/>; none means silence.</summary>
    public string? FillerPhrase { get; init; }

    /// <summary>How long the tool may run before the filler phrase is spoken.</summary>
    public int FillerAfterMs { get; init; } = 800;
}
