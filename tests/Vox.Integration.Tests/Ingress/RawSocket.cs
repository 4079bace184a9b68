using System.Net.WebSockets;
using System.Text;

namespace Vox.Integration.Tests.Ingress;

/// <summary>A bare WebSocket caller for abuse tests: sends exactly the messages given and reports how the far end closed.</summary>
internal static class RawSocket
{
    /// <summary>A text message.</summary>
    public static (WebSocketMessageType, byte[]) Text(string text) => (WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>A binary message.</summary>
    public static (WebSocketMessageType, byte[]) Binary(int length) => (WebSocketMessageType.Binary, new byte[length]);

    /// <summary>Connects, sends <paramref name="messages"/>, then reads until the close; returns it and how many data messages came first.</summary>
    public static async Task<(WebSocketCloseStatus? Status, string? Reason, int MessagesBeforeClose)> SendAsync(
        string url, IEnumerable<(WebSocketMessageType Type, byte[] Payload)> messages, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(url), cts.Token);
        foreach (var (type, payload) in messages)
        {
            if (socket.State != WebSocketState.Open)
            {
                break;
            }

            try
            {
                await socket.SendAsync(payload, type, true, cts.Token);
            }
            catch (WebSocketException)
            {
                // The far end closed while we were still sending (it refused an earlier message): read how it closed.
                break;
            }
        }

        var buffer = new byte[1 << 16];
        var count = 0;
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cts.Token);
            }
            catch (WebSocketException) when (socket.CloseStatus is not null)
            {
                // The close arrived, but the far end dropped the connection before our reply to it (a busy host answers
                // late): the close is what counts.
                return (socket.CloseStatus, socket.CloseStatusDescription, count);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (socket.CloseStatus, socket.CloseStatusDescription, count);
            }

            if (result.EndOfMessage)
            {
                count++;
            }
        }
    }
}
