namespace Vox.Grains.Media;

/// <summary>Where a worker receives RTP for a call: the address and port the gateway writes into its SDP.</summary>
public sealed record RtpSessionResponse(string CallId, string Address, int Port);
