using Vox.Gateway.Sip.Messages;
using Vox.Gateway.Sip.Transport;

namespace Vox.Gateway.Sip.Transactions;

/// <summary>
/// The client transactions (RFC 3261 section 17.1): sends the request, retransmits it on UDP (timer A doubling for
/// INVITE, timer E capped at T2 otherwise) until a response, times out after 64*T1 (timers B and F, reported as a
/// synthetic 408), passes provisional responses on, and for an INVITE acknowledges 3xx-6xx itself (same branch).
/// </summary>
public sealed class ClientTransaction : SipTransaction
{
    private readonly TaskCompletionSource<SipResponse> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _provisional;
    private SipRequest? _ack;

    /// <summary>Creates the transaction; <see cref="Start"/> sends the request.</summary>
    public ClientTransaction(SipRequest request, SipRemote remote, SipTransactionLayer layer) : base(request, remote, layer)
    {
    }

    /// <summary>True for an INVITE transaction.</summary>
    public bool IsInvite => Request.Method == SipMethods.Invite;

    /// <summary>Called with each provisional response.</summary>
    public Action<SipResponse>? Provisional { get; set; }

    /// <summary>The final response (a synthetic 408 after 64*T1 without one, 503 when the transport failed).</summary>
    public Task<SipResponse> Final => _final.Task;

    /// <summary>Sends the request and starts the timers.</summary>
    public void Start()
    {
        SendWithRetransmission(Request, IsInvite ? null : Layer.Timers.T2, Layer.Timers.Timeout, () => Finish(Synthetic(408)));
    }

    /// <summary>Reason phrase of the 503 made up when the request could not be sent.</summary>
    public const string TransportFailedReason = "Service Unavailable (transport failed)";

    internal void OnTransportFailed() => Finish(SipResponse.Create(Request, 503, TransportFailedReason));

    internal void OnResponse(SipResponse response)
    {
        lock (Gate)
        {
            if (response.IsProvisional)
            {
                if (_final.Task.IsCompleted)
                {
                    return;
                }

                if (!_provisional)
                {
                    _provisional = true;
                    // Proceeding: an INVITE stops retransmitting; a non-INVITE keeps going at T2 (simplified: stop, timer F still runs in Finish's absence).
                    if (IsInvite)
                    {
                        StopRetransmitting();
                    }
                }
            }
            else if (IsInvite && response.StatusCode >= 300)
            {
                // Completed: ACK every copy of the failure response (timer D absorbs retransmissions).
                _ack ??= BuildAck(response);
                _ = Layer.SendQuietlyAsync(_ack, Remote);
                if (_final.Task.IsCompleted)
                {
                    return;
                }

                StopRetransmitting();
                After(Remote.IsUnreliable ? Layer.Timers.TimerD : TimeSpan.Zero, Terminate);
            }
            else if (_final.Task.IsCompleted)
            {
                return;
            }
        }

        if (response.IsProvisional)
        {
            Provisional?.Invoke(response);
            return;
        }

        Finish(response);
    }

    private void Finish(SipResponse response)
    {
        StopRetransmitting();
        if (_final.TrySetResult(response) && !(IsInvite && response.StatusCode >= 300 && _ack is not null))
        {
            Terminate();
        }
    }

    private SipResponse Synthetic(int status)
    {
        var response = SipResponse.Create(Request, status);
        return response;
    }

    private SipRequest BuildAck(SipResponse response)
    {
        // RFC 3261 section 17.1.1.3: same Request-URI, Call-ID, From, top Via and CSeq number; To from the response.
        var ack = new SipRequest { Method = SipMethods.Ack, RequestUri = Request.RequestUri };
        ack.Headers.Add(SipHeaderNames.Via, Request.Headers[SipHeaderNames.Via]!)
            .Add(SipHeaderNames.MaxForwards, "70")
            .Add(SipHeaderNames.From, Request.Headers[SipHeaderNames.From]!)
            .Add(SipHeaderNames.To, response.Headers[SipHeaderNames.To]!)
            .Add(SipHeaderNames.CallId, Request.CallId)
            .Add(SipHeaderNames.CSeq, $"{Request.CSeq!.Number} ACK")
            .CopyFrom(Request.Headers, SipHeaderNames.Route);
        return ack;
    }
}
