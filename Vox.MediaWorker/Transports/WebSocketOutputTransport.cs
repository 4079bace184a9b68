using System.Net.WebSockets;

namespace Vox.MediaWorker.Transports;

/// <summary>
/// Sends pipeline output through a serializer over one WebSocket. Serialising and sending happen under one lock, so a
/// serializer that buffers (Exotel's chunking) sees one caller at a time and its buffered audio always leaves before an event.
/// </summary>
public sealed class WebSocketOutputTransport(WebSocket socket, IMediaSerializer serializer) : IOutputTransport
{
    private readonly SemaphoreSlim _send = new(1, 1);

    /// <summary>Bot audio frames sent (or buffered for sending by the serializer).</summary>
    public long FramesSent { get; private set; }

    /// <inheritdoc />
    public async ValueTask SendAudioAsync(ReadOnlyMemory<short> frame, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (serializer.SerializeAudio(frame.Span) is { } message)
            {
                await WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }

            FramesSent++;
        }
        finally
        {
            _send.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (serializer.SerializeClear() is { } message)
            {
                await WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _send.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask SendEventAsync(TransportEvent transportEvent, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (serializer.FlushAudio() is { } pending)
            {
                await WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            }

            if (serializer.SerializeEvent(transportEvent) is { } message)
            {
                await WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Sends one already encoded message unless the socket is already closing.</summary>
    public async ValueTask SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }
    }

    private async ValueTask WriteAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.SendAsync(message.Payload, message.Type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
