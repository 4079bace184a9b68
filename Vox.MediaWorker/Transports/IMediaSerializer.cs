using System.Net.WebSockets;

namespace Vox.MediaWorker.Transports;

/// <summary>
/// Turns one carrier's WebSocket messages into transport inputs and pipeline output into that carrier's messages
/// (Pipecat's serializer idea: every carrier is a serializer over one WebSocket transport).
/// </summary>
public interface IMediaSerializer
{
    /// <summary>Name used in <c>/media/{name}</c>.</summary>
    string Name { get; }

    /// <summary>Sample rate of the audio exchanged, known once the call has started.</summary>
    int SampleRate { get; }

    /// <summary>Reads one inbound message; throws <see cref="MediaProtocolException"/> when it breaks the protocol.</summary>
    TransportInput Deserialize(WebSocketMessageType type, ReadOnlySpan<byte> payload);

    /// <summary>Encodes one 20 ms frame of bot audio; null when the carrier's chunking rules keep it buffered for now.</summary>
    OutboundMessage? SerializeAudio(ReadOnlySpan<short> frame);

    /// <summary>Encodes audio still buffered by <see cref="SerializeAudio"/> (sent before any event), or null when none is.</summary>
    OutboundMessage? FlushAudio() => null;

    /// <summary>Encodes "drop what you buffered" (and drops this serializer's own buffer), or null when the carrier has no such message.</summary>
    OutboundMessage? SerializeClear();

    /// <summary>Whether the far end acts on a <c>transfer</c> event (the native protocol); carrier media streams cannot transfer a call.</summary>
    bool CanTransfer => false;

    /// <summary>Encodes a control event, or null when the carrier cannot carry it.</summary>
    OutboundMessage? SerializeEvent(TransportEvent transportEvent);
}
