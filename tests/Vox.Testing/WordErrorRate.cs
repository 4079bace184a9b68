namespace Vox.Testing;

/// <summary>Word error rate: word-level Levenshtein distance (substitutions + deletions + insertions) over the reference length.</summary>
public static class WordErrorRate
{
    /// <summary>WER of <paramref name="hypothesis"/> against <paramref name="reference"/>, both normalised first; can exceed 1 with many insertions.</summary>
    public static double Compute(string reference, string hypothesis)
    {
        string[] expected = Normalize(reference);
        string[] actual = Normalize(hypothesis);
        if (expected.Length == 0)
        {
            return actual.Length == 0 ? 0 : 1;
        }

        var previous = new int[actual.Length + 1];
        var current = new int[actual.Length + 1];
        for (int j = 0; j <= actual.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= expected.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= actual.Length; j++)
            {
                int substitution = previous[j - 1] + (expected[i - 1] == actual[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return (double)previous[actual.Length] / expected.Length;
    }

    /// <summary>Lower case, punctuation other than apostrophes removed, split on whitespace.</summary>
    public static string[] Normalize(string text)
    {
        var kept = text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c == '\'' ? c : ' ').ToArray();
        return new string(kept).Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
