namespace Vox.Gateway.Sip.Messages;

/// <summary>
/// The transport's first look at received bytes: a valid message goes on to the transaction layer; a bad request that can
/// be addressed is answered (400, 505, 416, 513) statelessly; anything else (bad responses, unaddressable garbage) is dropped,
/// as RFC 3261 sections 8.2 and 18 say.
/// </summary>
public static class SipIntake
{
    /// <summary>Decides what to do with one received message.</summary>
    public static SipIntakeResult Accept(ReadOnlySpan<byte> data, bool datagram = true)
    {
        var parsed = SipParser.Parse(data, datagram);
        var message = parsed.Message;
        if (message is null)
        {
            return SipIntakeResult.Drop(parsed.Error ?? "unreadable");
        }

        var error = parsed.Error ?? SipMessageValidator.Validate(message);
        if (error is null)
        {
            return new SipIntakeResult(message, null, null);
        }

        if (message is SipRequest request && SipMessageValidator.CanAnswer(request))
        {
            var status = parsed.Error is null ? 400 : parsed.StatusCode;
            var reply = SipResponse.Create(request, status, status == 400 ? "Bad Request - " + error : null);
            return new SipIntakeResult(null, reply, error);
        }

        return SipIntakeResult.Drop(error);
    }
}
