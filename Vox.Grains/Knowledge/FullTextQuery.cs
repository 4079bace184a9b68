using System.Text.RegularExpressions;

namespace Vox.Grains.Knowledge;

/// <summary>
/// Turns a caller's question into an any-word full-text query (so a partial match still ranks), with query syntax
/// stripped: FTS5 <c>"word" OR "word"</c>, PostgreSQL <c>word | word</c>. Ranking (BM25, ts_rank_cd) rewards chunks
/// matching more and rarer words.
/// </summary>
public static partial class FullTextQuery
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "is", "are", "was", "be", "to", "of", "for", "on", "in", "at", "and", "or", "i", "you", "we", "my",
        "your", "our", "me", "it", "do", "does", "can", "could", "would", "what", "when", "where", "how", "which", "who",
        "there", "this", "that", "with", "about", "please", "have", "has", "any", "if", "so",
    };

    /// <summary>The distinct meaningful words of <paramref name="text"/>, lower case.</summary>
    public static IReadOnlyList<string> Words(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => !StopWords.Contains(w)).Distinct(StringComparer.Ordinal).Take(32).ToList();

    /// <summary>An FTS5 MATCH expression, or null when the text has no words.</summary>
    public static string? Sqlite(string text) => Words(text) is { Count: > 0 } words ? string.Join(" OR ", words.Select(w => $"\"{w}\"")) : null;

    /// <summary>A <c>to_tsquery('english', …)</c> expression, or null when the text has no words.</summary>
    public static string? Postgres(string text) => Words(text) is { Count: > 0 } words ? string.Join(" | ", words) : null;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
