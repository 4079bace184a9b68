using System.Globalization;

namespace Vox.Gateway.Sip.Messages;

/// <summary>
/// Checks what a parsed message must carry before a transaction may see it (RFC 3261 sections 8.1.1, 8.2 and 18):
/// the mandatory headers, once each where the grammar allows one, in their grammar.
/// </summary>
public static class SipMessageValidator
{
    /// <summary>Why <paramref name="message"/> is unacceptable, or null when it is fine.</summary>
    public static string? Validate(SipMessage message)
    {
        var headers = message.Headers;
        foreach (var single in (ReadOnlySpan<string>)[SipHeaderNames.From, SipHeaderNames.To, SipHeaderNames.CallId, SipHeaderNames.CSeq])
        {
            var count = headers.Count(single);
            if (count == 0)
            {
                return $"missing {single}";
            }

            if (count > 1)
            {
                return $"more than one {single}";
            }
        }

        if (headers.Count(SipHeaderNames.Via) == 0)
        {
            return "missing Via";
        }

        foreach (var via in headers.GetAll(SipHeaderNames.Via))
        {
            if (!ViaHeader.TryParse(via, out _))
            {
                return "malformed Via";
            }
        }

        if (message.From is null)
        {
            return "malformed From";
        }

        if (message.To is null)
        {
            return "malformed To";
        }

        var callId = message.CallId;
        if (callId.Length == 0 || callId.AsSpan().IndexOfAny(" \t") >= 0)
        {
            return "malformed Call-ID";
        }

        if (message.CSeq is not { } cseq)
        {
            return "malformed CSeq";
        }

        if (message is SipRequest request)
        {
            if (cseq.Method != request.Method && request.Method != SipMethods.Ack && request.Method != SipMethods.Cancel)
            {
                return "CSeq method does not match the request method";
            }

            if ((request.Method == SipMethods.Ack || request.Method == SipMethods.Cancel) && cseq.Method != request.Method)
            {
                return "CSeq method does not match the request method";
            }

            if (headers[SipHeaderNames.MaxForwards] is { } maxForwards
                && (!SipToken.IsDigits(maxForwards) || maxForwards.Length > 9 || int.Parse(maxForwards, CultureInfo.InvariantCulture) > 255))
            {
                return "malformed Max-Forwards";
            }

            if (request.Method == SipMethods.Invite && headers.Count(SipHeaderNames.Contact) == 0)
            {
                return "INVITE without Contact";
            }

            foreach (var contact in headers.GetAll(SipHeaderNames.Contact))
            {
                if (contact != "*" && !NameAddress.TryParse(contact, out _))
                {
                    return "malformed Contact";
                }
            }
        }

        if (message.Body.Length > 0 && headers[SipHeaderNames.ContentType] is null)
        {
            return "body without Content-Type";
        }

        return null;
    }

    /// <summary>True when a request carries what a response needs (Via, From, To, Call-ID, CSeq), so it can be answered 400.</summary>
    public static bool CanAnswer(SipRequest request) =>
        request.TopVia is not null && request.Headers[SipHeaderNames.From] is not null && request.Headers[SipHeaderNames.To] is not null
        && request.CallId.Length > 0 && request.Headers[SipHeaderNames.CSeq] is not null && request.Method != SipMethods.Ack;
}
