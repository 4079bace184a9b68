using System.Text.RegularExpressions;
using Vox.Grains.Bots;

namespace Vox.Grains.Campaigns;

/// <summary>
/// Fills <c>{{name}}</c> placeholders in a bot's prompt and first message from a call's metadata: a campaign puts each
/// contact variable there as <c>var.{name}</c>. A placeholder with no value is left as written.
/// </summary>
public static partial class PromptTemplate
{
    /// <summary>The metadata key prefix of template variables.</summary>
    public const string VariablePrefix = "var.";

    /// <summary>Replaces <c>{{key}}</c> in <paramref name="template"/> with <paramref name="variables"/>[key].</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> variables) =>
        variables.Count == 0 ? template : Placeholder().Replace(template, m => variables.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>The bot with its prompt and first message filled from <paramref name="metadata"/>'s <c>var.*</c> entries (unchanged when there are none).</summary>
    public static BotRuntimeConfig Apply(BotRuntimeConfig bot, IReadOnlyDictionary<string, string> metadata)
    {
        var variables = metadata.Where(m => m.Key.StartsWith(VariablePrefix, StringComparison.Ordinal))
            .ToDictionary(m => m.Key[VariablePrefix.Length..], m => m.Value, StringComparer.Ordinal);
        if (variables.Count == 0)
        {
            return bot;
        }

        return bot with
        {
            Definition = bot.Definition with
            {
                SystemPrompt = Render(bot.Definition.SystemPrompt, variables),
                FirstMessage = bot.Definition.FirstMessage is null ? null : Render(bot.Definition.FirstMessage, variables),
            },
        };
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
