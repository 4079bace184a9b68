using System.Text;
using System.Text.RegularExpressions;

namespace Vox.Grains.Knowledge;

/// <summary>
/// Cuts a document's blocks into chunks: blocks under the same heading are joined sentence by sentence up to the size
/// limit, a new heading always starts a new chunk, and the last sentences of a chunk open the next one (overlap), so a
/// fact that spans a cut is found whole in at least one chunk.
/// </summary>
public static partial class KnowledgeChunker
{
    /// <summary>The chunks of <paramref name="blocks"/>.</summary>
    public static IReadOnlyList<KnowledgeChunk> Chunk(IReadOnlyList<KnowledgeBlock> blocks, int maxChars, int overlapSentences)
    {
        var chunks = new List<KnowledgeChunk>();
        foreach (var section in blocks.GroupBy(b => b.Heading).Select(g => (Heading: g.Key, Sentences: g.SelectMany(b => Sentences(b.Text)).ToList())))
        {
            var current = new List<string>();
            var length = 0;
            var fresh = 0;
            foreach (var sentence in section.Sentences)
            {
                if (fresh > 0 && length + sentence.Length + 1 > maxChars)
                {
                    chunks.Add(new KnowledgeChunk(section.Heading, string.Join(' ', current)));
                    current = overlapSentences > 0 ? current.TakeLast(Math.Min(overlapSentences, current.Count - 1)).ToList() : [];
                    length = current.Sum(s => s.Length + 1);
                    fresh = 0;
                }

                current.Add(sentence);
                length += sentence.Length + 1;
                fresh++;
            }

            if (fresh > 0)
            {
                chunks.Add(new KnowledgeChunk(section.Heading, string.Join(' ', current)));
            }
        }

        return chunks;
    }

    /// <summary>Splits text after <c>.</c>, <c>!</c> or <c>?</c> followed by white space; a very long sentence is cut at spaces.</summary>
    public static IEnumerable<string> Sentences(string text)
    {
        foreach (var sentence in SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            if (sentence.Length <= 1_000)
            {
                yield return sentence;
                continue;
            }

            var piece = new StringBuilder();
            foreach (var word in sentence.Split(' '))
            {
                if (piece.Length + word.Length > 1_000)
                {
                    yield return piece.ToString().Trim();
                    piece.Clear();
                }

                piece.Append(word).Append(' ');
            }

            if (piece.Length > 0)
            {
                yield return piece.ToString().Trim();
            }
        }
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();
}
