using System.Net.WebSockets;

namespace Vox.MediaWorker.Transports;

/// <summary>
/// iCallMate media stream (<c>/ws/{botId}</c>), the framing Vox supports (docs/ingress.md): LINEAR16 (PCM16LE mono) at
/// 8 kHz as binary frames (20 ms = 320 bytes expected, any even length up to 1 s accepted) both ways, and JSON text events
/// keyed by <c>event</c>: <c>start</c> first (optional <c>sampleRate</c>, which must be 8000), then <c>dtmf</c>
/// (<c>digit</c>), <c>mark</c> (<c>name</c>, the echo of a mark Vox sent) and <c>stop</c>; Vox sends <c>mark</c> after
/// each bot turn and <c>clear</c> on barge-in.
/// </summary>
public sealed class ICallMateSerializer : IMediaSerializer
{
    /// <summary>The only rate iCallMate streams at.</summary>
    public const int Rate = 8000;

    /// <summary>Largest binary frame accepted (1 s).</summary>
    public const int MaxAudioBytes = 16_000;

    private const string Carrier = "iCallMate";
    private bool _started;
    private int _marks;

    /// <inheritdoc />
    public string Name => "icallmate";

    /// <inheritdoc />
    public int SampleRate => Rate;

    /// <inheritdoc />
    public TransportInput Deserialize(WebSocketMessageType type, ReadOnlySpan<byte> payload)
    {
        if (type == WebSocketMessageType.Binary)
        {
            return _started ? new TransportAudio(CarrierJson.Pcm16Audio(payload, MaxAudioBytes, Carrier)) : throw CarrierJson.BeforeStart(Carrier, "audio");
        }

        var root = CarrierJson.ParseObject(type, payload, Carrier);
        var kind = CarrierJson.Text(root, "event")
            ?? throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, "iCallMate message without an 'event'");
        if (!_started && kind != "start")
        {
            throw CarrierJson.BeforeStart(Carrier, kind);
        }

        switch (kind)
        {
            case "start":
                if (_started)
                {
                    throw new MediaProtocolException(WebSocketCloseStatus.ProtocolError, "second iCallMate start event");
                }

                if (CarrierJson.Text(root, "sampleRate") is { } rate && rate != "8000")
                {
                    throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"iCallMate sampleRate {rate} is not 8000");
                }

                _started = true;
                return new TransportStart(null, Rate);
            case "dtmf":
                return new TransportDtmf(CarrierJson.Digit(CarrierJson.Text(root, "digit"), Carrier));
            case "mark":
                return new TransportMark(CarrierJson.Text(root, "name") ?? "");
            case "stop":
                return new TransportStop(CarrierJson.Text(root, "reason") ?? "caller hung up");
            default:
                return new TransportIgnored(kind);
        }
    }

    /// <inheritdoc />
    public OutboundMessage? SerializeAudio(ReadOnlySpan<short> frame) => CarrierJson.BinaryPcm16(frame);

    /// <inheritdoc />
    public OutboundMessage? SerializeClear() => CarrierJson.Write(0, static (w, _) => w.WriteString("event", "clear"));

    /// <inheritdoc />
    public OutboundMessage? SerializeEvent(TransportEvent transportEvent) =>
        CarrierJson.MarkName(transportEvent, ref _marks) is { } name ? Mark(name) : null;

    private static OutboundMessage Mark(string name) => CarrierJson.Write(name, static (w, n) =>
    {
        w.WriteString("event", "mark");
        w.WriteString("name", n);
    });
}
