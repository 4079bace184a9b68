namespace Vox.Gateway.Sip.Messages;

/// <summary>
/// What the parser made of some bytes: a message (possibly with <see cref="Error"/> set when its start line was readable but
/// the rest is malformed, so a request can still be answered 400), or no message and an error (drop it).
/// </summary>
public sealed record SipParseResult(SipMessage? Message, string? Error, int StatusCode = 400)
{
    /// <summary>True when a message was read and nothing is wrong with it.</summary>
    public bool IsValid => Message is not null && Error is null;
}
