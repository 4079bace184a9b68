namespace Vox.Grains.Media;

/// <summary>
/// What the gateway tells a worker about a SIP call's media (<c>/rtp/sessions</c>): the call, where the far end receives
/// RTP (from its SDP), the negotiated payload types, and whether the call is on hold.
/// </summary>
public sealed record RtpSessionRequest(
    string CallId,
    string? RemoteHost = null,
    int? RemotePort = null,
    int PayloadType = 0,
    int? DtmfPayloadType = null,
    bool OnHold = false);
