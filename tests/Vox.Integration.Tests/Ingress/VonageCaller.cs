using System.Net.WebSockets;
using System.Text.Json;

namespace Vox.Integration.Tests.Ingress;

/// <summary>Vonage's side of a Voice API WebSocket (PROTOCOLS.md §3): a text connected event, then 20 ms binary L16 frames.</summary>
internal sealed class VonageCaller(int sampleRate) : CarrierCaller(sampleRate)
{
    /// <inheritdoc />
    protected override Task StartAsync(CancellationToken cancellationToken) =>
        SendTextAsync($$"""{"event":"websocket:connected","content-type":"audio/l16;rate={{SampleRate}}","botId":"from-ncco-headers"}""", cancellationToken);

    /// <inheritdoc />
    protected override Task SendFrameAsync(short[] frame, CancellationToken cancellationToken)
    {
        var bytes = new byte[frame.Length * 2];
        Buffer.BlockCopy(frame, 0, bytes, 0, bytes.Length);
        return SendAsync(bytes, WebSocketMessageType.Binary, cancellationToken);
    }

    /// <summary>Sends a DTMF digit as Vonage does.</summary>
    public Task SendDtmfAsync(char digit, CancellationToken cancellationToken) =>
        SendTextAsync($$"""{"event":"websocket:dtmf","digit":"{{digit}}","duration":260}""", cancellationToken);

    /// <inheritdoc />
    public override async Task HangUpAsync(CancellationToken cancellationToken) => await DisposeAsync();

    /// <inheritdoc />
    protected override Task OnBinaryAsync(byte[] payload)
    {
        Played(payload.Length, TimeSpan.FromSeconds(payload.Length / 2.0 / SampleRate));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task OnTextAsync(JsonElement message)
    {
        switch (message.GetProperty("action").GetString())
        {
            case "notify":
                MarkReceived(message.GetProperty("payload").GetProperty("mark").GetString()!);
                break;
            case "clear":
                ClearReceived();
                await SendTextAsync("""{"event":"websocket:cleared"}""", CancellationToken.None);
                break;
        }
    }

    /// <inheritdoc />
    protected override Task EchoMarkAsync(string name) =>
        SendJsonAsync(new Dictionary<string, object> { ["event"] = "websocket:notify", ["payload"] = new { mark = name } }, CancellationToken.None);
}
