namespace Vox.Grains.Media;

/// <summary>
/// A worker asks the gateway carrying a SIP call to blind-transfer it (REFER) to <see cref="To"/>: an E.164 number or a
/// <c>sip:</c>/<c>sips:</c> URI. The gateway answers 202 when the far end accepted the REFER, 409 when it refused or the
/// call is not an answered SIP call there, 400 when <see cref="To"/> is not a valid target.
/// </summary>
public sealed record CallTransferRequest(string To);
