using System.Buffers;
using System.Net.WebSockets;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Calls;

/// <summary>A call's media over one WebSocket, read and written through the carrier's serializer.</summary>
public sealed class WebSocketMediaChannel(WebSocket socket, IMediaSerializer serializer) : ICallMediaChannel
{
    private readonly WebSocketOutputTransport _output = new(socket, serializer);

    /// <inheritdoc />
    public string TransportName => serializer.Name;

    /// <inheritdoc />
    public int SampleRate => serializer.SampleRate;

    /// <inheritdoc />
    public bool CanTransfer => serializer.CanTransfer;

    /// <inheritdoc />
    public IOutputTransport Output => _output;

    /// <inheritdoc />
    public async ValueTask<TransportInput> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var result = await socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new TransportStop("closed");
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > NativeVoxSerializer.MaxAudioBytes + 8192)
            {
                throw new MediaProtocolException(WebSocketCloseStatus.MessageTooBig, $"message larger than {NativeVoxSerializer.MaxAudioBytes} bytes");
            }

            if (result.EndOfMessage)
            {
                return serializer.Deserialize(result.MessageType, buffer.WrittenSpan);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask CloseAsync(string reason)
    {
        try
        {
            await _output.SendEventAsync(new TransportEvent("end", Reason: reason), CancellationToken.None).ConfigureAwait(false);
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The far end is gone already.
        }
    }

    /// <inheritdoc />
    public async ValueTask FailAsync(WebSocketCloseStatus status, string reason)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(status, WebSocketCloseReason.Fit(reason), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }
}
