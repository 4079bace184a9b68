namespace Vox.Gateway.Sip.UserAgent;

/// <summary>Where to transfer a call: an E.164 number (sent to the caller's side) or a SIP URI.</summary>
public sealed record TransferCallRequest(string To);
