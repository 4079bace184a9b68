using System.Net.WebSockets;
using System.Text.Json;

namespace Vox.Integration.Tests.Ingress;

/// <summary>iCallMate's side as docs/ingress.md defines it: a start event, 20 ms binary LINEAR16 frames at 8 kHz, JSON events.</summary>
internal sealed class ICallMateCaller() : CarrierCaller(8000)
{
    /// <inheritdoc />
    protected override Task StartAsync(CancellationToken cancellationToken) =>
        SendJsonAsync(new { @event = "start", sampleRate = 8000, from = "+15550001", to = "+15550002" }, cancellationToken);

    /// <inheritdoc />
    protected override Task SendFrameAsync(short[] frame, CancellationToken cancellationToken)
    {
        var bytes = new byte[frame.Length * 2];
        Buffer.BlockCopy(frame, 0, bytes, 0, bytes.Length);
        return SendAsync(bytes, WebSocketMessageType.Binary, cancellationToken);
    }

    /// <inheritdoc />
    public override Task HangUpAsync(CancellationToken cancellationToken) => SendJsonAsync(new { @event = "stop" }, cancellationToken);

    /// <inheritdoc />
    protected override Task OnBinaryAsync(byte[] payload)
    {
        Played(payload.Length, TimeSpan.FromSeconds(payload.Length / 2.0 / SampleRate));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task OnTextAsync(JsonElement message)
    {
        switch (message.GetProperty("event").GetString())
        {
            case "mark":
                MarkReceived(message.GetProperty("name").GetString()!);
                break;
            case "clear":
                ClearReceived();
                break;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task EchoMarkAsync(string name) => SendJsonAsync(new { @event = "mark", name }, CancellationToken.None);
}
