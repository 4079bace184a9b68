namespace Vox.Gateway.Sip.Messages;

/// <summary>Parses <c>;name=value;flag</c> parameter lists (names case-insensitive, quoted values kept with their quotes stripped).</summary>
public static class SipParameters
{
    /// <summary>Parses <paramref name="text"/> (starting after the first ';' or at it); false when a name is not a token.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Dictionary<string, string?> parameters)
    {
        parameters = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        text = text.Trim();
        if (text.StartsWith(";"))
        {
            text = text[1..];
        }

        while (!text.IsEmpty)
        {
            var end = NextSeparator(text);
            var part = text[..end].Trim();
            text = end < text.Length ? text[(end + 1)..] : [];
            if (part.IsEmpty)
            {
                return false;
            }

            var eq = part.IndexOf('=');
            var name = (eq < 0 ? part : part[..eq]).Trim();
            if (!SipToken.IsToken(name))
            {
                return false;
            }

            string? value = null;
            if (eq >= 0)
            {
                var raw = part[(eq + 1)..].Trim();
                if (raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"')
                {
                    raw = raw[1..^1];
                }
                else if (raw.IsEmpty || raw.IndexOfAny(" \t\"") >= 0)
                {
                    return false;
                }

                value = raw.ToString();
            }

            parameters[name.ToString()] = value;
        }

        return true;
    }

    private static int NextSeparator(ReadOnlySpan<char> text)
    {
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == ';' && !quoted)
            {
                return i;
            }
        }

        return text.Length;
    }
}
