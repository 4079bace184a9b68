using System.Net.WebSockets;
using System.Text.Json;

namespace Vox.MediaWorker.Transports;

/// <summary>
/// Vonage Voice API WebSocket: the first message is the text <c>websocket:connected</c> event naming
/// <c>audio/l16;rate=8000|16000</c>; then binary PCM16LE frames of 20 ms (320 or 640 bytes) both ways, text events in
/// (<c>websocket:dtmf</c>, <c>websocket:notify</c>, <c>websocket:cleared</c>) and text actions out
/// (<c>{"action":"clear"}</c> on barge-in, <c>{"action":"notify"}</c> after each bot turn).
/// </summary>
public sealed class VonageSerializer : IMediaSerializer
{
    /// <summary>Largest binary frame accepted (1 s at 16 kHz).</summary>
    public const int MaxAudioBytes = 32_000;

    private bool _started;
    private int _marks;

    /// <inheritdoc />
    public string Name => "vonage";

    /// <inheritdoc />
    public int SampleRate { get; private set; } = 16000;

    /// <inheritdoc />
    public TransportInput Deserialize(WebSocketMessageType type, ReadOnlySpan<byte> payload)
    {
        if (type == WebSocketMessageType.Binary)
        {
            if (!_started)
            {
                throw CarrierJson.BeforeStart("Vonage", "audio");
            }

            return new TransportAudio(CarrierJson.Pcm16Audio(payload, MaxAudioBytes, "Vonage"));
        }

        var root = CarrierJson.ParseObject(type, payload, "Vonage");
        var kind = CarrierJson.Text(root, "event")
            ?? throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, "Vonage message without an 'event'");
        if (!_started && kind != "websocket:connected")
        {
            throw CarrierJson.BeforeStart("Vonage", kind);
        }

        switch (kind)
        {
            case "websocket:connected":
                if (_started)
                {
                    throw new MediaProtocolException(WebSocketCloseStatus.ProtocolError, "second Vonage websocket:connected event");
                }

                SampleRate = RateOf(CarrierJson.Text(root, "content-type"));
                _started = true;
                return new TransportStart(null, SampleRate);
            case "websocket:dtmf":
                return new TransportDtmf(CarrierJson.Digit(CarrierJson.Text(root, "digit"), "Vonage"));
            case "websocket:notify":
                return new TransportMark(CarrierJson.Text(CarrierJson.Child(root, "payload"), "mark") ?? "");
            default:
                return new TransportIgnored(kind);
        }
    }

    /// <inheritdoc />
    public OutboundMessage? SerializeAudio(ReadOnlySpan<short> frame) => CarrierJson.BinaryPcm16(frame);

    /// <inheritdoc />
    public OutboundMessage? SerializeClear() => CarrierJson.Write(0, static (w, _) => w.WriteString("action", "clear"));

    /// <inheritdoc />
    public OutboundMessage? SerializeEvent(TransportEvent transportEvent) =>
        CarrierJson.MarkName(transportEvent, ref _marks) is { } name ? Notify(name) : null;

    private static OutboundMessage Notify(string mark) => CarrierJson.Write(mark, static (w, m) =>
    {
        w.WriteString("action", "notify");
        w.WriteStartObject("payload");
        w.WriteString("mark", m);
        w.WriteEndObject();
    });

    private static int RateOf(string? contentType)
    {
        // "audio/l16;rate=16000"; a missing rate means Vonage's default of 16 kHz.
        var rate = 16000;
        foreach (var part in (contentType ?? "").Split(';', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("rate=", StringComparison.OrdinalIgnoreCase) && !int.TryParse(part.AsSpan(5), out rate))
            {
                rate = 0;
            }
        }

        return rate is 8000 or 16000
            ? rate
            : throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"Vonage content-type '{contentType}' is not audio/l16 at 8000 or 16000 Hz");
    }
}
