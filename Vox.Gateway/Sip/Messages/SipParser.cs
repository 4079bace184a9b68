using System.Text;

namespace Vox.Gateway.Sip.Messages;

/// <summary>
/// Reads SIP messages (RFC 3261 section 7) from bytes: start line, header fields (folded lines unfolded, compact names
/// expanded, list headers split), body sized by Content-Length. Never throws on input: bad input comes back as an error.
/// </summary>
public static class SipParser
{
    /// <summary>Largest message accepted (a UDP datagram cannot be larger; TCP framing enforces the same).</summary>
    public const int MaxMessageBytes = 65_535;

    /// <summary>Most header lines accepted in one message.</summary>
    public const int MaxHeaderLines = 256;

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// Parses one message. <paramref name="datagram"/>: the bytes are a whole UDP datagram (a missing Content-Length means the
    /// rest is the body; a shorter one truncates it). On a stream, Content-Length is required.
    /// </summary>
    public static SipParseResult Parse(ReadOnlySpan<byte> data, bool datagram = true)
    {
        if (data.Length > MaxMessageBytes)
        {
            return new SipParseResult(null, "message too large", 513);
        }

        // Leading CRLFs are keep-alives (RFC 5626) or stray bytes between stream messages (RFC 3261 section 7.5).
        while (data.Length >= 2 && data[0] == '\r' && data[1] == '\n')
        {
            data = data[2..];
        }

        var headEnd = FindHeadEnd(data, out var separatorLength);
        if (headEnd < 0)
        {
            return new SipParseResult(null, "no end of header section");
        }

        var head = Utf8.GetString(data[..headEnd]);
        var body = data[(headEnd + separatorLength)..];
        var lines = Unfold(head);
        if (lines.Count == 0 || lines[0].Length == 0)
        {
            return new SipParseResult(null, "empty start line");
        }

        var (message, startError, startStatus) = ParseStartLine(lines[0]);
        if (message is null)
        {
            return new SipParseResult(null, startError);
        }

        string? error = startError;
        var status = startError is null ? 400 : startStatus;
        if (lines.Count - 1 > MaxHeaderLines)
        {
            return new SipParseResult(message, "too many header lines", 400);
        }

        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':');
            var name = colon > 0 ? line.AsSpan(0, colon).TrimEnd(" \t") : [];
            if (!SipToken.IsToken(name))
            {
                error ??= $"malformed header line {i}";
                continue;
            }

            message.Headers.Add(name.ToString(), line[(colon + 1)..].Trim(' ', '\t'));
        }

        var lengths = message.Headers.GetAll(SipHeaderNames.ContentLength).ToList();
        if (lengths.Count > 1)
        {
            error ??= "more than one Content-Length";
        }
        else if (lengths.Count == 1)
        {
            if (!SipToken.IsDigits(lengths[0]) || lengths[0].Length > 9 || !int.TryParse(lengths[0], out var length))
            {
                error ??= "bad Content-Length";
            }
            else if (length > body.Length)
            {
                // RFC 3261 section 18.3: a datagram shorter than its Content-Length is discarded; on a stream the framing waits for more.
                return new SipParseResult(message, "Content-Length larger than the body", 400);
            }
            else
            {
                body = body[..length];
            }
        }
        else if (!datagram)
        {
            error ??= "Content-Length required on a stream";
        }

        message.Body = body.ToArray();
        return new SipParseResult(message, error, error is null ? 200 : status);
    }

    /// <summary>
    /// Finds where one message ends in a stream buffer: its total length once the header section and the Content-Length body
    /// are complete, 0 when more bytes are needed, -1 when the stream is broken (no usable Content-Length or too large).
    /// </summary>
    public static int FrameLength(ReadOnlySpan<byte> buffer)
    {
        var skip = 0;
        while (buffer.Length - skip >= 2 && buffer[skip] == '\r' && buffer[skip + 1] == '\n')
        {
            skip += 2;
        }

        var rest = buffer[skip..];
        var headEnd = FindHeadEnd(rest, out var sep);
        if (headEnd < 0)
        {
            return rest.Length > MaxMessageBytes ? -1 : 0;
        }

        var lines = Unfold(Utf8.GetString(rest[..headEnd]));
        int? contentLength = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && SipHeaderNames.Canonicalize(line[..colon].Trim()) == SipHeaderNames.ContentLength)
            {
                if (!int.TryParse(line[(colon + 1)..].Trim(), out var cl) || cl < 0 || contentLength is not null)
                {
                    return -1;
                }

                contentLength = cl;
            }
        }

        if (contentLength is null)
        {
            return -1;
        }

        var total = skip + headEnd + sep + contentLength.Value;
        if (total > MaxMessageBytes + skip)
        {
            return -1;
        }

        return buffer.Length >= total ? total : 0;
    }

    private static int FindHeadEnd(ReadOnlySpan<byte> data, out int separatorLength)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            separatorLength = 4;
            return crlf;
        }

        separatorLength = 2;
        return lf;
    }

    private static List<string> Unfold(string head)
    {
        var lines = new List<string>();
        foreach (var raw in head.Split('\n'))
        {
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && lines.Count > 1)
            {
                // Folded continuation (RFC 3261 section 7.3.1): joins the previous header line with one space.
                lines[^1] = lines[^1].TrimEnd(' ', '\t') + " " + line.TrimStart(' ', '\t');
            }
            else
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private static (SipMessage? Message, string? Error, int Status) ParseStartLine(string line)
    {
        if (line.StartsWith("SIP/", StringComparison.Ordinal))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length < 2 || parts[0] != "SIP/2.0" || parts[1].Length != 3 || !SipToken.IsDigits(parts[1]))
            {
                return (null, "malformed status line", 400);
            }

            var code = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            if (code is < 100 or > 699)
            {
                return (null, "status code out of range", 400);
            }

            return (new SipResponse { StatusCode = code, Reason = parts.Length > 2 ? parts[2] : "" }, null, 200);
        }

        var pieces = line.Split(' ');
        if (pieces.Length < 3 || !SipToken.IsToken(pieces[0]))
        {
            return (null, "malformed request line", 400);
        }

        if (pieces.Length > 3 || pieces[1].Length == 0)
        {
            // Extra spaces in the request line or inside the Request-URI (RFC 4475 lwsruri, lwsstart): answerable, but bad.
            if (!IsVersion(pieces[^1]))
            {
                return (null, "malformed request line", 400);
            }

            var uri = string.Join(' ', pieces[1..^1]).Trim();
            return (new SipRequest { Method = pieces[0], RequestUri = uri.Length == 0 ? "sip:invalid" : uri, Version = pieces[^1] }, "malformed request line", 400);
        }

        var request = new SipRequest { Method = pieces[0], RequestUri = pieces[1], Version = pieces[2] };
        if (!IsVersion(pieces[2]))
        {
            return (null, "malformed SIP version", 400);
        }

        if (pieces[2] != "SIP/2.0")
        {
            return (request, "SIP version not supported", 505);
        }

        if (!SipUri.TryParse(pieces[1], out _))
        {
            var colon = pieces[1].IndexOf(':');
            var schemeOk = colon > 0 && SipToken.IsToken(pieces[1].AsSpan(0, colon));
            return schemeOk && !pieces[1].StartsWith("sip", StringComparison.OrdinalIgnoreCase)
                ? (request, "unsupported URI scheme", 416)
                : (request, "malformed Request-URI", 400);
        }

        return (request, null, 200);
    }

    private static bool IsVersion(string text)
    {
        if (!text.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var dot = text.IndexOf('.', 4);
        return dot > 4 && SipToken.IsDigits(text.AsSpan(4, dot - 4)) && SipToken.IsDigits(text.AsSpan(dot + 1));
    }
}
