using System.Net.WebSockets;
using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Transports;

/// <summary>
/// Twilio Media Streams, bidirectional (<c>&lt;Connect&gt;&lt;Stream&gt;</c>): camelCase JSON events, G.711 mu-law at 8 kHz,
/// 20 ms <c>media</c> messages out, <c>mark</c> after each bot turn, <c>clear</c> on barge-in, <c>dtmf</c> in. Text frames only.
/// </summary>
public sealed class TwilioSerializer : StreamEventSerializer
{
    /// <summary>Largest inbound payload accepted (1 s of mu-law).</summary>
    public const int MaxPayloadBytes = 8000;

    /// <inheritdoc />
    public override string Name => "twilio";

    /// <inheritdoc />
    protected override string Carrier => "Twilio";

    /// <inheritdoc />
    protected override string StreamSidKey => "streamSid";

    /// <inheritdoc />
    protected override short[] DecodeAudio(byte[] payload)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            throw new MediaProtocolException(WebSocketCloseStatus.MessageTooBig, $"Twilio media payload of {payload.Length} bytes exceeds {MaxPayloadBytes}");
        }

        var samples = new short[payload.Length];
        MuLawCodec.Decode(payload, samples);
        return samples;
    }

    /// <inheritdoc />
    protected override byte[] EncodeAudio(ReadOnlySpan<short> samples)
    {
        var codes = new byte[samples.Length];
        MuLawCodec.Encode(samples, codes);
        return codes;
    }

    /// <inheritdoc />
    protected override void AcceptStart(System.Text.Json.JsonElement start)
    {
        var format = CarrierJson.Child(start, "mediaFormat");
        var encoding = CarrierJson.Text(format, "encoding");
        if (encoding is not null && encoding != "audio/x-mulaw")
        {
            throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"Twilio stream encoding '{encoding}' is not audio/x-mulaw");
        }
    }
}
