using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Vox.Grains.Knowledge;

/// <summary>Reads text, Markdown, CSV and HTML into paragraphs under their heading paths.</summary>
public static partial class KnowledgeDocumentReader
{
    /// <summary>The content types accepted.</summary>
    public static IReadOnlyList<string> ContentTypes { get; } = ["text/plain", "text/markdown", "text/csv", "text/html"];

    /// <summary>Normalises a content type (parameters dropped, <c>text/x-markdown</c> and file extensions understood), or null when unsupported.</summary>
    public static string? Normalize(string? contentType, string? fileName = null)
    {
        var type = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        type = type switch
        {
            "text/x-markdown" or "text/md" => "text/markdown",
            "application/csv" => "text/csv",
            "application/xhtml+xml" => "text/html",
            "" or "application/octet-stream" => Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
            {
                ".md" or ".markdown" => "text/markdown",
                ".csv" => "text/csv",
                ".html" or ".htm" => "text/html",
                ".txt" => "text/plain",
                _ => "",
            },
            _ => type,
        };
        return ContentTypes.Contains(type) ? type : null;
    }

    /// <summary>The blocks of a document; <paramref name="title"/> heads blocks that have no heading.</summary>
    public static IReadOnlyList<KnowledgeBlock> Read(string contentType, string content, string title) => contentType switch
    {
        "text/markdown" => Markdown(content, title),
        "text/csv" => Csv(content, title),
        "text/html" => Html(content, title),
        _ => Paragraphs(content, title),
    };

    private static List<KnowledgeBlock> Paragraphs(string content, string title) =>
        BlankLines().Split(content.Replace("\r\n", "\n", StringComparison.Ordinal))
            .Select(p => Spaces().Replace(p, " ").Trim())
            .Where(p => p.Length > 0)
            .Select(p => new KnowledgeBlock(title, p))
            .ToList();

    private static List<KnowledgeBlock> Markdown(string content, string title)
    {
        var blocks = new List<KnowledgeBlock>();
        var headings = new List<(int Level, string Text)>();
        var paragraph = new StringBuilder();
        void Flush()
        {
            var text = Spaces().Replace(paragraph.ToString(), " ").Trim();
            if (text.Length > 0)
            {
                blocks.Add(new KnowledgeBlock(HeadingPath(headings, title), text));
            }

            paragraph.Clear();
        }

        var inCode = false;
        foreach (var raw in content.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            if (!inCode && MarkdownHeading().Match(line) is { Success: true } heading)
            {
                Flush();
                var level = heading.Groups[1].Value.Length;
                headings.RemoveAll(h => h.Level >= level);
                headings.Add((level, Inline(heading.Groups[2].Value)));
                continue;
            }

            if (line.Trim().Length == 0)
            {
                Flush();
                continue;
            }

            var item = ListMarker().Replace(line, "");
            if (item.Length != line.Length)
            {
                // A list item is its own sentence even without a full stop.
                paragraph.Append(EndSentence(Inline(item))).Append(' ');
            }
            else
            {
                paragraph.Append(Inline(line)).Append(' ');
            }
        }

        Flush();
        return blocks;
    }

    private static List<KnowledgeBlock> Html(string content, string title)
    {
        var text = ScriptOrStyle().Replace(content, " ");
        var blocks = new List<KnowledgeBlock>();
        var headings = new List<(int Level, string Text)>();
        foreach (Match m in HtmlBlock().Matches(text))
        {
            var tag = m.Groups[1].Value.ToLowerInvariant();
            var inner = SpaceBeforePunctuation().Replace(Spaces().Replace(WebUtility.HtmlDecode(Tag().Replace(m.Groups[2].Value, " ")), " "), "$1").Trim();
            if (inner.Length == 0)
            {
                continue;
            }

            if (tag[0] == 'h')
            {
                var level = tag[1] - '0';
                headings.RemoveAll(h => h.Level >= level);
                headings.Add((level, inner));
            }
            else
            {
                blocks.Add(new KnowledgeBlock(HeadingPath(headings, title), tag is "li" or "td" or "th" ? EndSentence(inner) : inner));
            }
        }

        return blocks;
    }

    private static List<KnowledgeBlock> Csv(string content, string title)
    {
        var rows = CsvRows(content).Where(r => r.Any(c => c.Length > 0)).ToList();
        if (rows.Count < 2)
        {
            return rows.Count == 1 ? [new KnowledgeBlock(title, string.Join(", ", rows[0]))] : [];
        }

        var header = rows[0];
        return rows.Skip(1)
            .Select(row => new KnowledgeBlock($"{title} > {row[0]}", string.Join(" ", row.Select((cell, i) => $"{(i < header.Count ? header[i] : $"column {i + 1}")}: {EndSentence(cell)}"))))
            .ToList();
    }

    /// <summary>RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static IEnumerable<List<string>> CsvRows(string content)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < content.Length && content[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString().Trim());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString().Trim());
                field.Clear();
                yield return row;
                row = [];
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString().Trim());
            yield return row;
        }
    }

    private static string HeadingPath(List<(int Level, string Text)> headings, string title) =>
        headings.Count == 0 ? title : string.Join(" > ", headings.Select(h => h.Text));

    private static string EndSentence(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 || trimmed[^1] is '.' or '!' or '?' or ':' ? trimmed : trimmed + ".";
    }

    private static string Inline(string markdown) =>
        MarkdownLink().Replace(markdown, "$1").Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).Trim();

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(#{1,6})\s+(.+?)\s*#*$")]
    private static partial Regex MarkdownHeading();

    [GeneratedRegex(@"^\s*([-*+]|\d+[.)])\s+")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<(h[1-6]|p|li|td|th|dd|dt|blockquote|pre)\b[^>]*>(.*?)</\1\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlBlock();

    [GeneratedRegex(@"\s+([.,!?;:])")]
    private static partial Regex SpaceBeforePunctuation();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();
}
