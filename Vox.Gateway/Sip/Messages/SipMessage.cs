using System.Text;

namespace Vox.Gateway.Sip.Messages;

/// <summary>A SIP request or response (RFC 3261 section 7): start line, header fields and an optional body.</summary>
public abstract class SipMessage
{
    /// <summary>Protocol version on the start line (<c>SIP/2.0</c>).</summary>
    public string Version { get; init; } = "SIP/2.0";

    /// <summary>Header fields in order.</summary>
    public SipHeaders Headers { get; } = new();

    /// <summary>Message body (an SDP offer or answer, a sipfrag...).</summary>
    public byte[] Body { get; set; } = [];

    /// <summary>The Call-ID, or empty.</summary>
    public string CallId => Headers[SipHeaderNames.CallId] ?? "";

    /// <summary>The parsed CSeq, or null when missing or bad.</summary>
    public CSeqHeader? CSeq => CSeqHeader.TryParse(Headers[SipHeaderNames.CSeq], out var cseq) ? cseq : null;

    /// <summary>The parsed top Via, or null.</summary>
    public ViaHeader? TopVia => ViaHeader.TryParse(Headers[SipHeaderNames.Via], out var via) ? via : null;

    /// <summary>The parsed From, or null.</summary>
    public NameAddress? From => NameAddress.TryParse(Headers[SipHeaderNames.From], out var from) ? from : null;

    /// <summary>The parsed To, or null.</summary>
    public NameAddress? To => NameAddress.TryParse(Headers[SipHeaderNames.To], out var to) ? to : null;

    /// <summary>The body as text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The start line without CRLF.</summary>
    public abstract string StartLine { get; }

    /// <summary>Sets a text body with its Content-Type.</summary>
    public void SetBody(string contentType, string body)
    {
        Headers.Set(SipHeaderNames.ContentType, contentType);
        Body = Encoding.UTF8.GetBytes(body);
    }

    /// <summary>The message on the wire, with a Content-Length that matches the body.</summary>
    public byte[] ToBytes()
    {
        var builder = new StringBuilder(512);
        builder.Append(StartLine).Append("\r\n");
        Headers.WriteTo(builder);
        builder.Append(SipHeaderNames.ContentLength).Append(": ").Append(Body.Length).Append("\r\n\r\n");
        var head = Encoding.UTF8.GetByteCount(builder.ToString());
        var bytes = new byte[head + Body.Length];
        Encoding.UTF8.GetBytes(builder.ToString(), bytes);
        Body.CopyTo(bytes, head);
        return bytes;
    }

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(ToBytes());
}
