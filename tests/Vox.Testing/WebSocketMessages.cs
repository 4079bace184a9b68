using System.Net.WebSockets;

namespace Vox.Testing;

/// <summary>Whole-message receive and a close that leaves the reading to the test client's own receive loop.</summary>
public static class WebSocketMessages
{
    /// <summary>Receives one whole message into <paramref name="buffer"/>.</summary>
    public static async Task<(WebSocketMessageType Type, ArraySegment<byte> Payload)> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (count == buffer.Length)
            {
                throw new InvalidOperationException($"A WebSocket message exceeds the test client's {buffer.Length}-byte buffer.");
            }

            result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
            count += result.Count;
        }
        while (!result.EndOfMessage);

        return (result.MessageType, new ArraySegment<byte>(buffer, 0, count));
    }

    /// <summary>
    /// Sends a close on <paramref name="socket"/> if it is open, gives its receive loop (<paramref name="receiving"/>) 2 s
    /// to read up to the far end's close, and disposes it.
    /// </summary>
    /// <remarks>
    /// Not <see cref="WebSocket.CloseAsync"/>: that reads until the close frame itself, into a buffer of about 256 bytes,
    /// and beside a receive loop it takes the head of whichever message comes first, so the loop sees the tail of one
    /// as a message of its own (a 640-byte audio frame arrived as 384 bytes).
    /// </remarks>
    public static async Task CloseAndDisposeAsync(WebSocket socket, Task receiving, string reason)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The far end is gone already.
        }

        await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(2)));
        socket.Dispose();
    }
}
