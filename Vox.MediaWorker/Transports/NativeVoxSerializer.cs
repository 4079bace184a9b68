using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Transports;

/// <summary>
/// The native Vox protocol (docs/native-protocol.md): binary messages are mono PCM16 little-endian audio, text
/// messages are JSON control messages with a <c>type</c>. The first message must be <c>start</c>.
/// </summary>
/// <param name="name">The endpoint name: <c>vox</c>, or <c>widget</c> for the browser widget, which speaks the same protocol.</param>
public sealed class NativeVoxSerializer(string name = "vox") : IMediaSerializer
{
    /// <summary>Largest binary message accepted (1 s of 48 kHz audio).</summary>
    public const int MaxAudioBytes = 96_000;

    private static readonly int[] Rates = [8000, 16000, 24000, 48000];
    private bool _started;

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public int SampleRate { get; private set; } = 16000;

    /// <inheritdoc />
    public TransportInput Deserialize(WebSocketMessageType type, ReadOnlySpan<byte> payload)
    {
        if (type == WebSocketMessageType.Binary)
        {
            if (!_started)
            {
                throw new MediaProtocolException(WebSocketCloseStatus.ProtocolError, "audio before the start message");
            }

            if (payload.Length > MaxAudioBytes)
            {
                throw new MediaProtocolException(WebSocketCloseStatus.MessageTooBig, $"audio message of {payload.Length} bytes exceeds {MaxAudioBytes}");
            }

            if (payload.Length % 2 != 0)
            {
                throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"odd-length PCM16 message ({payload.Length} bytes)");
            }

            var samples = new short[payload.Length / 2];
            Pcm16.BytesToSamples(payload, samples);
            return new TransportAudio(samples);
        }

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(payload.ToArray());
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"malformed control message: {ex.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, "control message without a string 'type'");
        }

        var kind = typeElement.GetString();
        if (!_started && kind != "start")
        {
            throw new MediaProtocolException(WebSocketCloseStatus.ProtocolError, $"'{kind}' before the start message");
        }

        switch (kind)
        {
            case "start":
                if (_started)
                {
                    throw new MediaProtocolException(WebSocketCloseStatus.ProtocolError, "second start message");
                }

                var rate = root.TryGetProperty("sampleRate", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out var v) ? v : 16000;
                if (!Rates.Contains(rate))
                {
                    throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"sampleRate {rate} is not one of 8000, 16000, 24000, 48000");
                }

                _started = true;
                SampleRate = rate;
                return new TransportStart(root.TryGetProperty("callId", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null, rate);
            case "dtmf":
                var digit = root.TryGetProperty("digit", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                if (digit is not { Length: 1 } || !"0123456789*#ABCD".Contains(digit[0], StringComparison.Ordinal))
                {
                    throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, "dtmf message needs one digit of 0-9, *, #, A-D");
                }

                return new TransportDtmf(digit[0]);
            case "mark":
                return new TransportMark(root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() ?? "" : "");
            case "stop":
                return new TransportStop("caller hung up");
            case "ping":
                return new TransportIgnored("ping");
            default:
                throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"unknown control message type '{kind}'");
        }
    }

    /// <inheritdoc />
    public OutboundMessage? SerializeAudio(ReadOnlySpan<short> frame) => CarrierJson.BinaryPcm16(frame);

    /// <inheritdoc />
    public OutboundMessage? SerializeClear() => Text(new { type = "clear" });

    /// <inheritdoc />
    public bool CanTransfer => true;

    /// <inheritdoc />
    public OutboundMessage? SerializeEvent(TransportEvent transportEvent) => transportEvent.Type switch
    {
        "transcript" => Text(new { type = "transcript", role = transportEvent.Role, text = transportEvent.Text, final = transportEvent.Final ?? true }),
        "started" => Text(new { type = "started", callId = transportEvent.Name, sampleRate = SampleRate }),
        "end" => Text(new { type = "end", reason = transportEvent.Reason }),
        "mark" => Text(new { type = "mark", name = transportEvent.Name }),
        "transfer" => Text(new { type = "transfer", target = transportEvent.Name }),
        _ => null,
    };

    private static OutboundMessage Text(object value) =>
        new(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));
}
