using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vox.MediaWorker.Providers.Stt.Offline;

/// <summary>
/// A small bigram language model, in ARPA text form, built from the phrases a bot expects callers to say. The offline
/// recogniser interpolates it with its general model, so those phrases win over acoustically similar nonsense.
/// </summary>
/// <remarks>
/// Absolute discounting (D = 0.5) with back-off to the unigram distribution; back-off weights are computed so each
/// history's probabilities sum to one. Words the dictionary does not know split a phrase (they cannot be decoded).
/// </remarks>
internal static partial class HintLanguageModel
{
    private const double Discount = 0.5;
    private const string SentenceStart = "<s>";
    private const string SentenceEnd = "</s>";

    /// <summary>The phrases as word sequences: lower case, punctuation dropped, split at words <paramref name="isKnown"/> rejects.</summary>
    public static List<string[]> Sentences(IEnumerable<string> phrases, Func<string, bool> isKnown)
    {
        var sentences = new List<string[]>();
        foreach (string phrase in phrases)
        {
            var current = new List<string>();
            foreach (string word in Words(phrase))
            {
                if (isKnown(word))
                {
                    current.Add(word);
                    continue;
                }

                if (current.Count > 0)
                {
                    sentences.Add([.. current]);
                    current.Clear();
                }
            }

            if (current.Count > 0)
            {
                sentences.Add([.. current]);
            }
        }

        return sentences;
    }

    /// <summary>The ARPA text of the model over <paramref name="sentences"/>, or null when there are none.</summary>
    public static string? ToArpa(IReadOnlyList<string[]> sentences)
    {
        if (sentences.Count == 0)
        {
            return null;
        }

        var unigrams = new Dictionary<string, int>(StringComparer.Ordinal);
        var bigrams = new Dictionary<(string, string), int>();
        foreach (string[] sentence in sentences)
        {
            string previous = SentenceStart;
            Count(unigrams, SentenceStart);
            foreach (string word in sentence.Append(SentenceEnd))
            {
                Count(unigrams, word);
                bigrams[(previous, word)] = bigrams.GetValueOrDefault((previous, word)) + 1;
                previous = word;
            }
        }

        // <s> is never predicted, so it takes no probability mass.
        double total = unigrams.Where(u => u.Key != SentenceStart).Sum(u => u.Value);
        double Unigram(string word) => word == SentenceStart ? 0 : unigrams[word] / total;

        var arpa = new StringBuilder();
        arpa.Append("\\data\\\n")
            .Append(CultureInfo.InvariantCulture, $"ngram 1={unigrams.Count}\n")
            .Append(CultureInfo.InvariantCulture, $"ngram 2={bigrams.Count}\n\n\\1-grams:\n");
        foreach ((string word, int count) in unigrams.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            var followers = bigrams.Where(b => b.Key.Item1 == word).ToList();
            double logProbability = word == SentenceStart ? -99 : Math.Log10(Unigram(word));
            if (followers.Count == 0)
            {
                arpa.Append(CultureInfo.InvariantCulture, $"{logProbability:F4} {word}\n");
                continue;
            }

            double left = Discount * followers.Count / count;
            double covered = followers.Sum(b => Unigram(b.Key.Item2));
            double backoff = covered >= 1 ? 1e-6 : left / (1 - covered);
            arpa.Append(CultureInfo.InvariantCulture, $"{logProbability:F4} {word} {Math.Log10(backoff):F4}\n");
        }

        arpa.Append("\n\\2-grams:\n");
        foreach (((string first, string second), int count) in bigrams.OrderBy(b => b.Key.Item1, StringComparer.Ordinal).ThenBy(b => b.Key.Item2, StringComparer.Ordinal))
        {
            double probability = (count - Discount) / unigrams[first];
            arpa.Append(CultureInfo.InvariantCulture, $"{Math.Log10(probability):F4} {first} {second}\n");
        }

        return arpa.Append("\n\\end\\\n").ToString();
    }

    private static void Count(Dictionary<string, int> counts, string word) => counts[word] = counts.GetValueOrDefault(word) + 1;

    private static IEnumerable<string> Words(string phrase) =>
        NotWord().Replace(phrase.ToLowerInvariant(), " ").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('\''))
            .Where(w => w.Length > 0);

    [GeneratedRegex(@"[^a-z' ]")]
    private static partial Regex NotWord();
}
