using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Vox.Gateway.Ingress;

namespace Vox.Gateway.Tests.Ingress;

/// <summary><see cref="WebSocketProxy"/> between a client and a scripted far end, on a test server.</summary>
public sealed class WebSocketProxyTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private TestServer _server = null!;
    private readonly List<(WebSocketMessageType Type, int Count, bool End)> _farEndReceived = [];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        _app = builder.Build();
        _app.UseWebSockets();
        // The far end echoes every fragment as it came, and closes with 1007 "bad audio" when sent the text "fail".
        _app.Map("/far", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                lock (_farEndReceived)
                {
                    _farEndReceived.Add((received.MessageType, received.Count, received.EndOfMessage));
                }

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(socket.CloseStatus!.Value, socket.CloseStatusDescription, CancellationToken.None);
                    return;
                }

                if (received.MessageType == WebSocketMessageType.Text && Encoding.UTF8.GetString(buffer, 0, received.Count) == "fail")
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.InvalidPayloadData, "bad audio", CancellationToken.None);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
            }
        });
        _app.Map("/proxy", async context =>
        {
            using var caller = await context.WebSockets.AcceptWebSocketAsync();
            using var far = await _server.CreateWebSocketClient().ConnectAsync(new Uri(_server.BaseAddress, "far"), CancellationToken.None);
            await WebSocketProxy.RunAsync(caller, far, 64, CancellationToken.None);
        });
        await _app.StartAsync();
        _server = _app.GetTestServer();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Fragments_cross_as_they_came_both_ways()
    {
        using var client = await _server.CreateWebSocketClient().ConnectAsync(new Uri(_server.BaseAddress, "proxy"), CancellationToken.None);
        await client.SendAsync(new byte[10], WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        await client.SendAsync(new byte[20], WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[64];
        var first = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
        var second = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
        Assert.Equal((10, false, 20, true), (first.Count, first.EndOfMessage, second.Count, second.EndOfMessage));
        lock (_farEndReceived)
        {
            Assert.Equal([(WebSocketMessageType.Binary, 10, false), (WebSocketMessageType.Binary, 20, true)], _farEndReceived);
        }
    }

    [Fact]
    public async Task A_close_from_the_far_end_reaches_the_caller_with_its_code_and_reason()
    {
        using var client = await _server.CreateWebSocketClient().ConnectAsync(new Uri(_server.BaseAddress, "proxy"), CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes("fail"), WebSocketMessageType.Text, true, CancellationToken.None);
        var received = await client.ReceiveAsync(new byte[64].AsMemory(), CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal((WebSocketCloseStatus.InvalidPayloadData, "bad audio"), (client.CloseStatus, client.CloseStatusDescription));
    }

    [Fact]
    public async Task A_close_from_the_caller_reaches_the_far_end()
    {
        using var client = await _server.CreateWebSocketClient().ConnectAsync(new Uri(_server.BaseAddress, "proxy"), CancellationToken.None);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "caller hung up", CancellationToken.None);
        Assert.Equal((WebSocketCloseStatus.NormalClosure, "caller hung up"), (client.CloseStatus, client.CloseStatusDescription));
        lock (_farEndReceived)
        {
            Assert.Equal(WebSocketMessageType.Close, Assert.Single(_farEndReceived).Type);
        }
    }
}
