using System.Text.Json;

namespace Vox.Grains.Bots;

/// <summary>What the bot's language model produces after a call: a summary, structured data and a success evaluation.</summary>
public sealed record PostCallAnalysisSettings
{
    /// <summary>Whether to write a summary of the call.</summary>
    public bool Summary { get; init; } = true;

    /// <summary>Extra instructions for the summary.</summary>
    public string? SummaryPrompt { get; init; }

    /// <summary>JSON schema of the data to extract from the call, if any.</summary>
    public JsonElement? StructuredDataSchema { get; init; }

    /// <summary>What counts as a successful call; when set the model judges the call against it.</summary>
    public string? SuccessRubric { get; init; }
}
