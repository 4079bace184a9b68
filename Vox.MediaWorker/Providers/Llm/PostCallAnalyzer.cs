using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vox.Grains.Bots;
using Vox.Grains.Calls;

namespace Vox.MediaWorker.Providers.Llm;

/// <summary>
/// After the call, asks the bot's language model for a summary, the bot-defined structured data (checked against its
/// schema) and a success evaluation, as one JSON object stored on the call and sent with its result.
/// </summary>
public sealed partial class PostCallAnalyzer(ILogger<PostCallAnalyzer> logger)
{
    /// <summary>Time the analysis may take before the result goes out without it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The analysis, or null when the bot asks for none or its model is the offline responder.</summary>
    public async Task<JsonElement?> AnalyzeAsync(ILanguageModel model, BotDefinition bot, IReadOnlyList<TranscriptTurn> turns, CancellationToken cancellationToken)
    {
        if (bot.Analysis is not { } settings || model is OfflineResponder || turns.Count == 0)
        {
            return null;
        }

        var instructions = new StringBuilder()
            .AppendLine("You analyse a finished phone call between a voice assistant (\"assistant\") and a caller (\"user\").")
            .AppendLine("Answer with one JSON object and nothing else, with these members:");
        if (settings.Summary)
        {
            instructions.AppendLine("- \"summary\": a short summary of the call. " + (settings.SummaryPrompt ?? ""));
        }

        if (settings.StructuredDataSchema is { } schema)
        {
            instructions.AppendLine("- \"structuredData\": an object matching this JSON schema: " + schema.GetRawText());
        }

        if (settings.SuccessRubric is { } rubric)
        {
            instructions.AppendLine("- \"success\": {\"successful\": true|false, \"reason\": \"...\"} judged by this rubric: " + rubric);
        }

        var transcript = string.Join("\n", turns.Select(t => $"{t.Role}: {t.Text}"));
        var request = new LanguageModelRequest([new ChatMessage("system", instructions.ToString()), new ChatMessage("user", transcript)], [], bot.Llm.Model, 0, JsonOutput: true);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var text = new StringBuilder();
        try
        {
            await foreach (var e in model.StreamAsync(request, timeout.Token).ConfigureAwait(false))
            {
                if (e is TextDelta delta)
                {
                    text.Append(delta.Text);
                }
            }
        }
        catch (Exception ex) when (ex is LanguageModelException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, ex.Message);
            return JsonSerializer.SerializeToElement(new { error = "analysis failed: " + ex.Message });
        }

        return Parse(text.ToString(), settings);
    }

    private JsonElement Parse(string text, PostCallAnalysisSettings settings)
    {
        var json = text.Trim();
        var start = json.IndexOf('{');
        var end = json.LastIndexOf('}');
        try
        {
            using var doc = JsonDocument.Parse(start >= 0 && end > start ? json[start..(end + 1)] : json);
            var root = doc.RootElement;
            if (settings.StructuredDataSchema is { } schema && root.TryGetProperty("structuredData", out var data))
            {
                var errors = Tools.JsonSchemaValidator.Validate(data, schema);
                if (errors.Count > 0)
                {
                    LogInvalid(logger, string.Join("; ", errors));
                    var copy = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(root.GetRawText())!;
                    copy["structuredDataErrors"] = JsonSerializer.SerializeToElement(errors);
                    return JsonSerializer.SerializeToElement(copy);
                }
            }

            return root.Clone();
        }
        catch (JsonException ex)
        {
            LogInvalid(logger, ex.Message);
            return JsonSerializer.SerializeToElement(new { summary = text, error = "the model did not answer with JSON" });
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post-call analysis failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post-call analysis answer is not as asked: {Error}")]
    private static partial void LogInvalid(ILogger logger, string error);
}
