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
}
