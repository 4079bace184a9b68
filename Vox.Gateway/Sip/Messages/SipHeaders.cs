using System.Text;

namespace Vox.Gateway.Sip.Messages;

/// <summary>The ordered header fields of a message; names compare case-insensitively, list headers are split per value.</summary>
public sealed class SipHeaders
{
    private readonly List<SipHeader> _items = [];

    /// <summary>All fields in order.</summary>
    public IReadOnlyList<SipHeader> Items => _items;

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? this[string name]
    {
        get
        {
            name = SipHeaderNames.Canonicalize(name);
            foreach (var h in _items)
            {
                if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return h.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Every value of <paramref name="name"/> in order.</summary>
    public IEnumerable<string> GetAll(string name)
    {
        name = SipHeaderNames.Canonicalize(name);
        foreach (var h in _items)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return h.Value;
            }
        }
    }

    /// <summary>How many values <paramref name="name"/> has.</summary>
    public int Count(string name) => GetAll(name).Count();

    /// <summary>Appends a value (a list header's value is split at top-level commas).</summary>
    public SipHeaders Add(string name, string value)
    {
        name = SipHeaderNames.Canonicalize(name);
        if (SipHeaderNames.IsList(name))
        {
            foreach (var part in SplitList(value))
            {
                _items.Add(new SipHeader(name, part));
            }
        }
        else
        {
            _items.Add(new SipHeader(name, value));
        }

        return this;
    }

    /// <summary>Inserts a value before all others (a proxy's Via, for instance).</summary>
    public SipHeaders Prepend(string name, string value)
    {
        _items.Insert(0, new SipHeader(SipHeaderNames.Canonicalize(name), value));
        return this;
    }

    /// <summary>Replaces every value of <paramref name="name"/> with one.</summary>
    public SipHeaders Set(string name, string value)
    {
        name = SipHeaderNames.Canonicalize(name);
        var index = _items.FindIndex(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        Remove(name);
        _items.Insert(index < 0 ? _items.Count : Math.Min(index, _items.Count), new SipHeader(name, value));
        return this;
    }

    /// <summary>Removes every value of <paramref name="name"/>.</summary>
    public SipHeaders Remove(string name)
    {
        name = SipHeaderNames.Canonicalize(name);
        _items.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        return this;
    }

    /// <summary>Copies the values of <paramref name="name"/> from <paramref name="other"/> in order.</summary>
    public SipHeaders CopyFrom(SipHeaders other, string name)
    {
        foreach (var value in other.GetAll(name))
        {
            _items.Add(new SipHeader(SipHeaderNames.Canonicalize(name), value));
        }

        return this;
    }

    /// <summary>Writes the fields as <c>Name: value CRLF</c> lines, except Content-Length.</summary>
    public void WriteTo(StringBuilder builder)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            var h = _items[i];
            if (string.Equals(h.Name, SipHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            builder.Append(h.Name).Append(": ").Append(h.Value);
            // Token lists (Allow, Supported...) go back on one line; Via, Route and Contact keep one value per line.
            while (Joinable(h.Name) && i + 1 < _items.Count && _items[i + 1].Name == h.Name)
            {
                builder.Append(", ").Append(_items[++i].Value);
            }

            builder.Append("\r\n");
        }
    }

    private static bool Joinable(string name) =>
        SipHeaderNames.IsList(name) && name is not (SipHeaderNames.Via or SipHeaderNames.Route or SipHeaderNames.RecordRoute or SipHeaderNames.Contact);

    /// <summary>Splits a list value at commas outside quotes and angle brackets.</summary>
    public static IEnumerable<string> SplitList(string value)
    {
        var parts = new List<string>();
        var quoted = false;
        var angle = 0;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && quoted)
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '<')
            {
                angle++;
            }
            else if (!quoted && c == '>' && angle > 0)
            {
                angle--;
            }
            else if (!quoted && angle == 0 && c == ',')
            {
                AddPart(parts, value[start..i]);
                start = i + 1;
            }
        }

        AddPart(parts, value[start..]);
        return parts;
    }

    private static void AddPart(List<string> parts, string part)
    {
        part = part.Trim();
        if (part.Length > 0)
        {
            parts.Add(part);
        }
    }
}
