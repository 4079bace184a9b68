using System.Buffers;
using System.Net.WebSockets;

namespace Vox.Gateway.Ingress;

/// <summary>
/// Relays two WebSockets frame for frame in both directions without looking inside: each received fragment is sent on
/// with its type and end-of-message flag before the next is read, so a slow reader holds back its sender (back-pressure)
/// and nothing queues in the gateway. A close on either side is passed on with its status and reason.
/// </summary>
public static class WebSocketProxy
{
    /// <summary>Relays until both directions have closed (or <paramref name="cancellationToken"/> fires); returns how the far ends closed.</summary>
    public static async Task<ProxyOutcome> RunAsync(WebSocket caller, WebSocket worker, int bufferBytes, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = PumpAsync(caller, worker, bufferBytes, abort.Token);
        var down = PumpAsync(worker, caller, bufferBytes, abort.Token);
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        var other = first == up ? down : up;
        if (!first.Result.Clean)
        {
            // One side vanished without a close: nothing more will cross, so stop the other direction too.
            await abort.CancelAsync().ConfigureAwait(false);
        }
        else if (await Task.WhenAny(other, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)).ConfigureAwait(false) != other)
        {
            await abort.CancelAsync().ConfigureAwait(false);
        }

        var (callerSide, workerSide) = (await up.ConfigureAwait(false), await down.ConfigureAwait(false));
        return new ProxyOutcome(callerSide.Status, callerSide.Reason, workerSide.Status, workerSide.Reason);
    }

    private static async Task<PumpResult> PumpAsync(WebSocket from, WebSocket to, int bufferBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        try
        {
            while (true)
            {
                var received = await from.ReceiveAsync(buffer.AsMemory(0, bufferBytes), cancellationToken).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    var status = from.CloseStatus ?? WebSocketCloseStatus.NormalClosure;
                    var reason = from.CloseStatusDescription;
                    if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await to.CloseOutputAsync(status, reason, cancellationToken).ConfigureAwait(false);
                    }

                    return new PumpResult(true, status, reason);
                }

                await to.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                to.Abort();
            }

            return new PumpResult(false, null, ex is OperationCanceledException ? "cancelled" : "connection lost");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private readonly record struct PumpResult(bool Clean, WebSocketCloseStatus? Status, string? Reason);
}
