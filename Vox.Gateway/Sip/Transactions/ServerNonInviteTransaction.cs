using Vox.Gateway.Sip.Messages;
using Vox.Gateway.Sip.Transport;

namespace Vox.Gateway.Sip.Transactions;

/// <summary>
/// The non-INVITE server transaction (RFC 3261 section 17.2.2): answers retransmitted requests with the last response and
/// lingers 64*T1 on UDP (timer J) after the final response.
/// </summary>
public sealed class ServerNonInviteTransaction : SipTransaction
{
    private SipResponse? _last;
    private bool _final;

    /// <summary>Creates the transaction for a received non-INVITE request.</summary>
    public ServerNonInviteTransaction(SipRequest request, SipRemote remote, SipTransactionLayer layer) : base(request, remote, layer)
    {
    }

    /// <summary>Sends a response; false when a final response was already sent.</summary>
    public bool Respond(SipResponse response)
    {
        lock (Gate)
        {
            if (_final)
            {
                return false;
            }

            _last = response;
            _final = !response.IsProvisional;
            _ = Layer.SendQuietlyAsync(response, Remote);
            if (_final)
            {
                After(Remote.IsUnreliable ? Layer.Timers.Timeout : TimeSpan.Zero, Terminate);
            }

            return true;
        }
    }

    /// <summary>The request arrived again: resend the last response.</summary>
    internal void OnRetransmission()
    {
        if (_last is { } last)
        {
            _ = Layer.SendQuietlyAsync(last, Remote);
        }
    }
}
