using Vox.Gateway.Sip.Messages;
using Vox.Gateway.Sip.Transport;

namespace Vox.Gateway.Sip.Transactions;

/// <summary>
/// Common machinery of the four RFC 3261 transactions: the request, the peer, retransmission loops with T1 doubling to a
/// cap, a 64*T1 limit, and a terminated signal the transaction layer uses to forget the transaction.
/// </summary>
public abstract class SipTransaction
{
    private readonly CancellationTokenSource _retransmit = new();
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the transaction.</summary>
    protected SipTransaction(SipRequest request, SipRemote remote, SipTransactionLayer layer)
    {
        Request = request;
        Remote = remote;
        Layer = layer;
        Branch = request.TopVia?.Branch ?? "";
    }

    /// <summary>The request that created the transaction.</summary>
    public SipRequest Request { get; }

    /// <summary>The peer.</summary>
    public SipRemote Remote { get; }

    /// <summary>The top Via branch.</summary>
    public string Branch { get; }

    /// <summary>The layer (transport, timers, time).</summary>
    protected SipTransactionLayer Layer { get; }

    /// <summary>Serialises state changes.</summary>
    protected Lock Gate { get; } = new();

    /// <summary>Completes when the transaction is terminated.</summary>
    public Task Terminated => _terminated.Task;

    /// <summary>Stops any retransmission loop.</summary>
    protected void StopRetransmitting() => _retransmit.Cancel();

    /// <summary>Moves to Terminated.</summary>
    protected void Terminate()
    {
        StopRetransmitting();
        _terminated.TrySetResult();
    }

    /// <summary>Sends <paramref name="message"/> now and, on UDP, again after T1, 2*T1... (capped at <paramref name="cap"/>) until stopped or <paramref name="limit"/>.</summary>
    protected void SendWithRetransmission(SipMessage message, TimeSpan? cap, TimeSpan limit, Action? onLimit)
    {
        _ = Layer.SendQuietlyAsync(message, Remote);
        if (!Remote.IsUnreliable && onLimit is null)
        {
            return;
        }

        var token = _retransmit.Token;
        _ = Task.Run(async () =>
        {
            var interval = Layer.Timers.T1;
            var elapsed = TimeSpan.Zero;
            try
            {
                while (true)
                {
                    var wait = Remote.IsUnreliable ? Min(interval, limit - elapsed) : limit - elapsed;
                    if (wait <= TimeSpan.Zero)
                    {
                        break;
                    }

                    await Task.Delay(wait, Layer.Time, token).ConfigureAwait(false);
                    elapsed += wait;
                    if (elapsed >= limit)
                    {
                        break;
                    }

                    await Layer.SendQuietlyAsync(message, Remote).ConfigureAwait(false);
                    interval = cap is { } c ? Min(interval * 2, c) : interval * 2;
                }

                onLimit?.Invoke();
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
    }

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> unless the transaction terminates first.</summary>
    protected void After(TimeSpan delay, Action action) =>
        _ = Task.Delay(delay, Layer.Time, CancellationToken.None).ContinueWith(_ => action(), TaskScheduler.Default);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
