using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Vox.Grains.Bots;

namespace Vox.MediaWorker.Providers.Llm;

/// <summary>
/// The offline responder used when no LLM is configured. It is not a language model: it picks the bot's scripted
/// reply whose keywords best match what the caller said, else the knowledge snippet sharing the most words with
/// the question, and on a goodbye it says the farewell and calls <c>end_call</c>.
/// </summary>
public sealed partial class OfflineResponder(BotDefinition bot) : ILanguageModel
{
    private static readonly string[] Farewells = ["goodbye", "good bye", "bye", "that is all", "that's all", "hang up"];

    /// <summary>
    /// What a caller of <paramref name="bot"/> is expected to say, for the recogniser to favour: the bot's speech hints,
    /// its scripted replies' keywords and the goodbyes this responder listens for.
    /// </summary>
    public static IReadOnlyList<string> ExpectedPhrases(BotDefinition bot)
    {
        ArgumentNullException.ThrowIfNull(bot);
        return [.. bot.SpeechHints.Concat(bot.ScriptedReplies.SelectMany(r => r.Keywords)).Concat(Farewells).Distinct(StringComparer.OrdinalIgnoreCase)];
    }
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "is", "are", "to", "of", "for", "on", "in", "and", "or", "i", "you", "my", "your", "me",
        "what", "do", "does", "can", "it", "be", "would", "like", "please", "how", "much", "per",
    };

    /// <inheritdoc />
    public string Name => "offline";

    /// <inheritdoc />
    public async IAsyncEnumerable<LanguageModelEvent> StreamAsync(LanguageModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var said = request.Messages.LastOrDefault(m => m.Role == "user")?.Content ?? "";
        var (reply, endsCall) = Choose(Normalize(said));
        yield return new TextDelta(reply);
        if (endsCall)
        {
            yield return new ToolCallRequest("offline-end-call", "end_call", """{"reason":"caller said goodbye"}""");
        }
    }

    private (string Reply, bool EndsCall) Choose(string said)
    {
        var words = Words(said);
        var scripted = bot.ScriptedReplies
            .Select(r => (Reply: r, Score: r.Keywords.Count(k => ContainsPhrase(said, Normalize(k)))))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .FirstOrDefault();
        if (scripted.Reply is not null)
        {
            return (scripted.Reply.Reply, scripted.Reply.EndsCall);
        }

        if (Farewells.Any(f => ContainsPhrase(said, f)))
        {
            return (bot.FarewellMessage ?? "Thank you for calling. Goodbye!", true);
        }

        var snippet = bot.KnowledgeSnippets
            .Select(s => (Text: s, Score: Words(Normalize(s)).Intersect(words).Count()))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .FirstOrDefault();
        if (snippet.Text is not null)
        {
            return (snippet.Text, false);
        }

        return (said.Length == 0 ? "Sorry, I didn't hear anything. How can I help?" : "Sorry, I can't help with that. Could you put it another way?", false);
    }

    private static HashSet<string> Words(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !StopWords.Contains(w)).ToHashSet(StringComparer.Ordinal);

    private static bool ContainsPhrase(string text, string phrase) =>
        phrase.Length > 0 && (" " + text + " ").Contains(" " + phrase + " ", StringComparison.Ordinal);

    private static string Normalize(string text) => Spaces().Replace(NotWord().Replace(text.ToLowerInvariant(), " "), " ").Trim();

    [GeneratedRegex(@"[^a-z0-9' ]")]
    private static partial Regex NotWord();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
