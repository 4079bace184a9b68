using System.Net.WebSockets;

namespace Vox.Integration.Tests.Ingress;

/// <summary>Whole-message receive and a quiet close for the test clients' sockets.</summary>
internal static class WebSocketMessages
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

    /// <summary>Closes <paramref name="socket"/> if it is open, giving the far end 2 s, and disposes it.</summary>
    public static async Task CloseAndDisposeAsync(WebSocket socket, string reason)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The far end is gone already.
        }

        socket.Dispose();
    }
}
