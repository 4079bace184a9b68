namespace Vox.Grains.Media;

/// <summary>
/// What the gateway tells a worker about a SIP call's media (<c>/rtp/sessions</c>): the call, where the far end receives
/// RTP (from its SDP), the negotiated payload types, whether the call is on hold, and whether to screen an answered outbound call for an answering machine.
/// </summary>
public sealed record RtpSessionRequest(
    string CallId,
    string? RemoteHost = null,
    int? RemotePort = null,
    int PayloadType = 0,
    int? DtmfPayloadType = null,
    bool OnHold = false,
    bool Screen = false);
