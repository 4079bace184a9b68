namespace Vox.Gateway.Sip.Messages;

/// <summary>A From/To/Contact/Refer-To value: optional display name, URI, header parameters (the tag among them).</summary>
public sealed record NameAddress(string? DisplayName, SipUri Uri, IReadOnlyDictionary<string, string?> Parameters)
{
    /// <summary>The <c>tag</c> parameter, or null.</summary>
    public string? Tag => Parameters.TryGetValue("tag", out var tag) ? tag : null;

    /// <summary>Parses <c>"Name" &lt;sip:a@b&gt;;tag=x</c> or a bare <c>sip:a@b;tag=x</c>; false when malformed (unbalanced quotes or brackets).</summary>
    public static bool TryParse(string? value, out NameAddress address)
    {
        address = null!;
        if (value is null)
        {
            return false;
        }

        var text = value.AsSpan().Trim();
        string? display = null;
        if (text.StartsWith("\""))
        {
            var end = ClosingQuote(text);
            if (end < 0)
            {
                return false;
            }

            display = text[1..end].ToString();
            text = text[(end + 1)..].TrimStart();
            if (!text.StartsWith("<"))
            {
                return false;
            }
        }

        var open = text.IndexOf('<');
        if (open >= 0)
        {
            if (display is null && open > 0)
            {
                var name = text[..open].Trim();
                foreach (var c in name)
                {
                    if (!(SipToken.IsTokenChar(c) || c is ' ' or '\t'))
                    {
                        return false;
                    }
                }

                display = name.IsEmpty ? null : name.ToString();
            }

            var close = text.IndexOf('>');
            if (close < open || text[(open + 1)..close].IndexOfAny("<\" \t") >= 0 || !SipUri.TryParse(text[(open + 1)..close], out var uri))
            {
                return false;
            }

            var after = text[(close + 1)..];
            if (after.IndexOfAny('<', '>') >= 0 || !SipParameters.TryParse(after, out var ps))
            {
                return false;
            }

            address = new NameAddress(display, uri, ps);
            return true;
        }

        if (text.IndexOfAny('>', '"') >= 0)
        {
            return false;
        }

        // addr-spec form: URI parameters here belong to the header, not the URI (RFC 3261 section 20).
        var semi = text.IndexOf(';');
        if (!SipUri.TryParse(semi < 0 ? text : text[..semi], out var bare) || !SipParameters.TryParse(semi < 0 ? [] : text[semi..], out var headerParams))
        {
            return false;
        }

        address = new NameAddress(null, bare, headerParams);
        return true;
    }

    private static int ClosingQuote(ReadOnlySpan<char> text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Writes the value with the URI in angle brackets.</summary>
    public override string ToString() =>
        (DisplayName is null ? "" : $"\"{DisplayName}\" ") + "<" + Uri + ">" +
        string.Concat(Parameters.Select(p => p.Value is null ? ";" + p.Key : $";{p.Key}={p.Value}"));
}
