namespace Vox.Grains.Media;

/// <summary>
/// What the gateway tells a worker about a SIP call's media (<c>/rtp/sessions</c>): the call, where the far end receives
/// RTP (from its SDP), the negotiated payload types, whether the call is on hold, whether to screen an answered outbound call for an answering machine,
/// and where the worker asks the gateway that carries the call's signalling to act on it (<see cref="ControlUrl"/>: a blind transfer is
/// <c>POST {ControlUrl}/transfer</c> with a <see cref="CallTransferRequest"/>, behind the cluster token).
/// </summary>
public sealed record RtpSessionRequest(
    string CallId,
    string? RemoteHost = null,
    int? RemotePort = null,
    int PayloadType = 0,
    int? DtmfPayloadType = null,
    bool OnHold = false,
    bool Screen = false,
    string? ControlUrl = null);
