using Vox.Gateway.Sip.Messages;
using Vox.Gateway.Sip.Transport;

namespace Vox.Gateway.Sip.Dialogs;

/// <summary>
/// A dialog (RFC 3261 section 12): Call-ID, local and remote tags, local and remote URIs, the remote target, the route
/// set and the CSeq counters, plus the peer transport. Builds in-dialog requests (BYE, re-INVITE, REFER).
/// </summary>
public sealed class SipDialog
{
    private long _localSequence;

    /// <summary>Creates a dialog.</summary>
    public SipDialog(string callId, string localTag, string remoteTag, string localHeader, string remoteHeader, string remoteTarget,
        IReadOnlyList<string> routeSet, long localSequence, long remoteSequence, SipRemote remote)
    {
        CallId = callId;
        LocalTag = localTag;
        RemoteTag = remoteTag;
        LocalHeader = localHeader;
        RemoteHeader = remoteHeader;
        RemoteTarget = remoteTarget;
        RouteSet = routeSet;
        _localSequence = localSequence;
        RemoteSequence = remoteSequence;
        Remote = remote;
    }

    /// <summary>Call-ID.</summary>
    public string CallId { get; }

    /// <summary>Our tag.</summary>
    public string LocalTag { get; }

    /// <summary>The peer's tag.</summary>
    public string RemoteTag { get; set; }

    /// <summary>Our From/To value, tag included.</summary>
    public string LocalHeader { get; }

    /// <summary>The peer's From/To value, tag included.</summary>
    public string RemoteHeader { get; set; }

    /// <summary>The peer's Contact URI (where in-dialog requests are addressed).</summary>
    public string RemoteTarget { get; set; }

    /// <summary>Record-Route set, in the order requests use it.</summary>
    public IReadOnlyList<string> RouteSet { get; set; }

    /// <summary>Highest CSeq seen from the peer.</summary>
    public long RemoteSequence { get; set; }

    /// <summary>Where in-dialog requests are sent.</summary>
    public SipRemote Remote { get; set; }

    /// <summary>The key a request from the peer carries: Call-ID, our tag (its To tag), its tag (its From tag).</summary>
    public string Id => Key(CallId, LocalTag, RemoteTag);

    /// <summary>The dialog key of <paramref name="callId"/> with the two tags.</summary>
    public static string Key(string callId, string localTag, string remoteTag) => $"{callId}|{localTag}|{remoteTag}";

    /// <summary>Builds an in-dialog request with the next CSeq (for ACK, pass the INVITE's number in <paramref name="sequence"/>).</summary>
    public SipRequest CreateRequest(string method, string via, string contact, long? sequence = null)
    {
        var request = new SipRequest { Method = method, RequestUri = RemoteTarget };
        request.Headers.Add(SipHeaderNames.Via, via)
            .Add(SipHeaderNames.MaxForwards, "70")
            .Add(SipHeaderNames.From, LocalHeader)
            .Add(SipHeaderNames.To, RemoteHeader)
            .Add(SipHeaderNames.CallId, CallId)
            .Add(SipHeaderNames.CSeq, $"{sequence ?? Interlocked.Increment(ref _localSequence)} {method}");
        foreach (var route in RouteSet)
        {
            request.Headers.Add(SipHeaderNames.Route, route);
        }

        if (method is SipMethods.Invite or SipMethods.Refer)
        {
            request.Headers.Add(SipHeaderNames.Contact, contact);
        }

        return request;
    }
}
