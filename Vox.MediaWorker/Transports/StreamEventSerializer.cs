using System.Net.WebSockets;
using System.Text.Json;

namespace Vox.MediaWorker.Transports;

/// <summary>
/// The event protocol Twilio Media Streams and Exotel share: JSON text messages keyed by <c>event</c>
/// (<c>connected</c>, <c>start</c>, <c>media</c> with base64 audio, <c>dtmf</c>, <c>mark</c>, <c>stop</c>), and
/// <c>media</c>, <c>mark</c>, <c>clear</c> back, each naming the stream. Subclasses give the audio codec and the key style.
/// Events out of order (media before start, a second start) are protocol errors; unknown events are ignored.
/// </summary>
public abstract class StreamEventSerializer : IMediaSerializer
{
    private int _marks;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public int SampleRate { get; protected init; } = 8000;

    /// <summary>The carrier's name in close reasons.</summary>
    protected abstract string Carrier { get; }

    /// <summary>How the carrier spells the stream id key (<c>streamSid</c>, <c>stream_sid</c>).</summary>
    protected abstract string StreamSidKey { get; }

    /// <summary>The stream id from the start event.</summary>
    public string StreamSid { get; private set; } = "";

    /// <summary>True once the start event arrived.</summary>
    public bool Started { get; private set; }

    /// <summary>Turns one inbound payload (already base64-decoded) into PCM16 samples.</summary>
    protected abstract short[] DecodeAudio(byte[] payload);

    /// <summary>Encodes PCM16 samples in the carrier's codec.</summary>
    protected abstract byte[] EncodeAudio(ReadOnlySpan<short> samples);

    /// <summary>Reads the start event's audio format; throws when the carrier asks for one this serializer cannot carry.</summary>
    protected virtual void AcceptStart(JsonElement start)
    {
    }

    /// <inheritdoc />
    public TransportInput Deserialize(WebSocketMessageType type, ReadOnlySpan<byte> payload)
    {
        var root = CarrierJson.ParseObject(type, payload, Carrier);
        var kind = CarrierJson.Text(root, "event")
            ?? throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"{Carrier} message without an 'event'");
        if (!Started && kind is "media" or "dtmf" or "mark")
        {
            throw CarrierJson.BeforeStart(Carrier, kind);
        }

        switch (kind)
        {
            case "connected":
                return Started
                    ? throw new MediaProtocolException(WebSocketCloseStatus.ProtocolError, $"{Carrier} 'connected' after the start event")
                    : new TransportIgnored("connected");
            case "start":
                if (Started)
                {
                    throw new MediaProtocolException(WebSocketCloseStatus.ProtocolError, $"second {Carrier} start event");
                }

                var start = CarrierJson.Child(root, "start");
                StreamSid = CarrierJson.Text(root, "streamSid", "stream_sid") ?? CarrierJson.Text(start, "streamSid", "stream_sid") ?? "";
                AcceptStart(start);
                Started = true;
                return new TransportStart(null, SampleRate);
            case "media":
                return new TransportAudio(DecodeAudio(CarrierJson.Base64(CarrierJson.Text(CarrierJson.Child(root, "media"), "payload"), Carrier)));
            case "dtmf":
                return new TransportDtmf(CarrierJson.Digit(CarrierJson.Text(CarrierJson.Child(root, "dtmf"), "digit"), Carrier));
            case "mark":
                return new TransportMark(CarrierJson.Text(CarrierJson.Child(root, "mark"), "name") ?? "");
            case "stop":
                return new TransportStop(CarrierJson.Text(CarrierJson.Child(root, "stop"), "reason") ?? "caller hung up");
            default:
                return new TransportIgnored(kind);
        }
    }

    /// <inheritdoc />
    public virtual OutboundMessage? SerializeAudio(ReadOnlySpan<short> frame) => Media(EncodeAudio(frame));

    /// <inheritdoc />
    public virtual OutboundMessage? FlushAudio() => null;

    /// <inheritdoc />
    public virtual OutboundMessage? SerializeClear() => CarrierJson.Write(this, static (w, s) =>
    {
        w.WriteString("event", "clear");
        w.WriteString(s.StreamSidKey, s.StreamSid);
    });

    /// <inheritdoc />
    public OutboundMessage? SerializeEvent(TransportEvent transportEvent) =>
        CarrierJson.MarkName(transportEvent, ref _marks) is { } name ? Mark(name) : null;

    /// <summary>A <c>media</c> message carrying <paramref name="encoded"/> audio.</summary>
    protected OutboundMessage Media(byte[] encoded) => CarrierJson.Write((this, encoded), static (w, s) =>
    {
        w.WriteString("event", "media");
        w.WriteString(s.Item1.StreamSidKey, s.Item1.StreamSid);
        w.WriteStartObject("media");
        w.WriteBase64String("payload", s.encoded);
        w.WriteEndObject();
    });

    private OutboundMessage Mark(string name) => CarrierJson.Write((this, name), static (w, s) =>
    {
        w.WriteString("event", "mark");
        w.WriteString(s.Item1.StreamSidKey, s.Item1.StreamSid);
        w.WriteStartObject("mark");
        w.WriteString("name", s.name);
        w.WriteEndObject();
    });
}
