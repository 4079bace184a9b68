namespace Vox.Gateway.Sip.Messages;

/// <summary>Outcome of <see cref="SipIntake.Accept"/>: a message to process, a reply to send back, or neither (dropped, with why).</summary>
public sealed record SipIntakeResult(SipMessage? Message, SipResponse? Reply, string? Error)
{
    /// <summary>A dropped message.</summary>
    public static SipIntakeResult Drop(string why) => new(null, null, why);
}
