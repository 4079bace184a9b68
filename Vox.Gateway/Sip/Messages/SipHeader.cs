namespace Vox.Gateway.Sip.Messages;

/// <summary>One header field value: the canonical (long-form) name and the unfolded value.</summary>
public sealed record SipHeader(string Name, string Value);
