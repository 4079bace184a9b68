using Vox.Gateway.Sip.Messages;
using Vox.Gateway.Sip.Transport;

namespace Vox.Gateway.Sip.Transactions;

/// <summary>
/// The INVITE server transaction (RFC 3261 section 17.2.1, with RFC 6026's Accepted state): answers retransmitted
/// INVITEs with the last response, retransmits a 2xx until the dialog sees the ACK and a 3xx-6xx until its ACK arrives
/// (timer G, capped at T2), and gives up after 64*T1 (timer H).
/// </summary>
public sealed class ServerInviteTransaction : SipTransaction
{
    private SipResponse? _last;
    private State _state = State.Proceeding;

    /// <summary>Creates the transaction for a received INVITE.</summary>
    public ServerInviteTransaction(SipRequest request, SipRemote remote, SipTransactionLayer layer) : base(request, remote, layer)
    {
    }

    private enum State { Proceeding, Accepted, Completed, Confirmed, Terminated }

    /// <summary>Raised when a 2xx or a failure response was never acknowledged within 64*T1.</summary>
    public event Action<ServerInviteTransaction>? AckTimedOut;

    /// <summary>True once a final response was sent.</summary>
    public bool HasFinalResponse
    {
        get
        {
            lock (Gate)
            {
                return _state != State.Proceeding;
            }
        }
    }

    /// <summary>The last response sent, if any.</summary>
    public SipResponse? LastResponse => _last;

    /// <summary>Sends a response; false when a final response was already sent (a CANCEL that lost the race, for instance).</summary>
    public bool Respond(SipResponse response)
    {
        lock (Gate)
        {
            if (_state != State.Proceeding)
            {
                return false;
            }

            _last = response;
            if (response.IsProvisional)
            {
                _ = Layer.SendQuietlyAsync(response, Remote);
                return true;
            }

            if (response.StatusCode < 300)
            {
                _state = State.Accepted;
                SendWithRetransmission(response, Layer.Timers.T2, Layer.Timers.Timeout, OnAckTimeout);
            }
            else
            {
                _state = State.Completed;
                SendWithRetransmission(response, Layer.Timers.T2, Layer.Timers.Timeout, OnAckTimeout);
            }

            return true;
        }
    }

    /// <summary>The INVITE arrived again: resend the last response.</summary>
    internal void OnRetransmission()
    {
        var last = _last;
        if (last is not null && _state is State.Proceeding or State.Accepted or State.Completed)
        {
            _ = Layer.SendQuietlyAsync(last, Remote);
        }
    }

    /// <summary>An ACK arrived: for a failure response it matches this transaction; for a 2xx the dialog passes it on.</summary>
    public void OnAck()
    {
        lock (Gate)
        {
            if (_state == State.Completed)
            {
                _state = State.Confirmed;
                StopRetransmitting();
                After(Remote.IsUnreliable ? Layer.Timers.T4 : TimeSpan.Zero, EndNow);
            }
            else if (_state == State.Accepted)
            {
                EndNow();
            }
        }
    }

    private void EndNow()
    {
        lock (Gate)
        {
            _state = State.Terminated;
            Terminate();
        }
    }

    private void OnAckTimeout()
    {
        bool raise;
        lock (Gate)
        {
            raise = _state is State.Accepted or State.Completed;
            _state = State.Terminated;
            Terminate();
        }

        if (raise)
        {
            AckTimedOut?.Invoke(this);
        }
    }
}
