using System.Net.WebSockets;

namespace Vox.MediaWorker.Transports;

/// <summary>Sends pipeline output through a serializer over one WebSocket; sends are serialised (one writer at a time).</summary>
public sealed class WebSocketOutputTransport(WebSocket socket, IMediaSerializer serializer) : IOutputTransport
{
    private readonly SemaphoreSlim _send = new(1, 1);

    /// <summary>Bot audio frames sent.</summary>
    public long FramesSent { get; private set; }

    /// <inheritdoc />
    public async ValueTask SendAudioAsync(ReadOnlyMemory<short> frame, CancellationToken cancellationToken)
    {
        await SendAsync(serializer.SerializeAudio(frame.Span), cancellationToken).ConfigureAwait(false);
        FramesSent++;
    }

    /// <inheritdoc />
    public ValueTask ClearAsync(CancellationToken cancellationToken) =>
        serializer.SerializeClear() is { } message ? SendAsync(message, cancellationToken) : ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask SendEventAsync(TransportEvent transportEvent, CancellationToken cancellationToken) =>
        serializer.SerializeEvent(transportEvent) is { } message ? SendAsync(message, cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Sends one message unless the socket is already closing.</summary>
    public async ValueTask SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(message.Payload, message.Type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _send.Release();
        }
    }
}
