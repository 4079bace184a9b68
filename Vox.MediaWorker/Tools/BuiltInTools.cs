using System.Text.Json;
using Vox.Grains.Bots;

namespace Vox.MediaWorker.Tools;

/// <summary>The built-in tool kinds and the argument schemas they get when the bot gives none.</summary>
public static class BuiltInTools
{
    /// <summary>Hang up after the goodbye.</summary>
    public const string EndCall = "end_call";

    /// <summary>Transfer the caller.</summary>
    public const string TransferCall = "transfer_call";

    /// <summary>An answering machine picked up.</summary>
    public const string DetectedVoicemail = "detected_voicemail";

    /// <summary>Search the bot's knowledge base.</summary>
    public const string SearchKnowledge = "search_knowledge";

    /// <summary>A custom HTTP tool.</summary>
    public const string Http = "http";

    /// <summary>
    /// The tools as the model sees them: the bot's own, each with a schema (a default for built-ins without one), plus
    /// <c>search_knowledge</c> when the bot has a knowledge base but did not list the tool.
    /// </summary>
    public static IReadOnlyList<ToolDefinition> Effective(BotDefinition bot)
    {
        var tools = bot.Tools.Select(t => t.Parameters is null ? t with { Parameters = DefaultSchema(t.Type), Description = Describe(t) } : t).ToList();
        if (bot.KnowledgeBaseId is not null && tools.All(t => t.Type != SearchKnowledge))
        {
            tools.Add(new ToolDefinition { Name = SearchKnowledge, Type = SearchKnowledge, Description = Describe(new ToolDefinition { Name = "", Type = SearchKnowledge }), Parameters = DefaultSchema(SearchKnowledge) });
        }

        return tools;
    }

    private static string Describe(ToolDefinition tool) => tool.Description.Length > 0 ? tool.Description : tool.Type switch
    {
        EndCall => "Hang up after saying goodbye, when the conversation is over.",
        TransferCall => "Transfer the caller to a human agent.",
        DetectedVoicemail => "Call this when a voicemail greeting or answering machine answered instead of a person.",
        SearchKnowledge => "Search the knowledge base for facts to answer the caller's question.",
        _ => "",
    };

    private static JsonElement? DefaultSchema(string type) => type switch
    {
        EndCall => Parse("""{"type":"object","properties":{"reason":{"type":"string"}}}"""),
        TransferCall => Parse("""{"type":"object","properties":{"reason":{"type":"string"}}}"""),
        DetectedVoicemail => Parse("""{"type":"object","properties":{}}"""),
        SearchKnowledge => Parse("""{"type":"object","properties":{"query":{"type":"string","minLength":1}},"required":["query"]}"""),
        _ => Parse("""{"type":"object","properties":{}}"""),
    };

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
