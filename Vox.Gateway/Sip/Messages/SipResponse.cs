namespace Vox.Gateway.Sip.Messages;

/// <summary>A SIP response: status code, reason phrase, headers, body.</summary>
public sealed class SipResponse : SipMessage
{
    /// <summary>Status code, 100 to 699.</summary>
    public required int StatusCode { get; init; }

    /// <summary>Reason phrase (may be empty).</summary>
    public string Reason { get; init; } = "";

    /// <summary>True for 1xx.</summary>
    public bool IsProvisional => StatusCode < 200;

    /// <inheritdoc />
    public override string StartLine => $"{Version} {StatusCode} {Reason}";

    /// <summary>
    /// Builds a response to <paramref name="request"/> (RFC 3261 section 8.2.6.2): Via, From, To, Call-ID and CSeq copied;
    /// <paramref name="toTag"/> added to To when it has none (never to a 100).
    /// </summary>
    public static SipResponse Create(SipRequest request, int statusCode, string? reason = null, string? toTag = null)
    {
        var response = new SipResponse { StatusCode = statusCode, Reason = reason ?? SipStatus.ReasonPhrase(statusCode) };
        response.Headers.CopyFrom(request.Headers, SipHeaderNames.Via);
        response.Headers.CopyFrom(request.Headers, SipHeaderNames.From);
        var to = request.Headers[SipHeaderNames.To] ?? "";
        if (toTag is not null && statusCode > 100 && NameAddress.TryParse(to, out var parsed) && parsed.Tag is null)
        {
            to += ";tag=" + toTag;
        }

        response.Headers.Add(SipHeaderNames.To, to);
        response.Headers.CopyFrom(request.Headers, SipHeaderNames.CallId);
        response.Headers.CopyFrom(request.Headers, SipHeaderNames.CSeq);
        return response;
    }
}
