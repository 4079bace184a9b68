using System.Net.WebSockets;
using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Transports;

/// <summary>
/// Exotel Voicebot/AgentStream: snake_case JSON events, base64 PCM16LE mono at 8, 16 or 24 kHz (the <c>sample-rate</c>
/// query of the stream URL). Outgoing audio is gathered into chunks of at least <see cref="MinChunkBytes"/> bytes, always a
/// multiple of <see cref="ChunkGranuleBytes"/> (Exotel leaves gaps otherwise); a turn's tail is padded with silence.
/// </summary>
public sealed class ExotelSerializer : StreamEventSerializer
{
    /// <summary>Smallest outgoing chunk (100 ms at 8 kHz).</summary>
    public const int MinChunkBytes = 3200;

    /// <summary>Every outgoing chunk is a multiple of this.</summary>
    public const int ChunkGranuleBytes = 320;

    /// <summary>Largest inbound payload accepted (1 s at 24 kHz).</summary>
    public const int MaxPayloadBytes = 48_000;

    /// <summary>Rates Exotel streams at.</summary>
    public static readonly IReadOnlyList<int> Rates = [8000, 16000, 24000];

    private readonly byte[] _pending;
    private int _pendingBytes;

    /// <summary>Creates the serializer for a stream at <paramref name="sampleRate"/> (one of <see cref="Rates"/>).</summary>
    public ExotelSerializer(int sampleRate = 8000)
    {
        if (!Rates.Contains(sampleRate))
        {
            throw new MediaProtocolException(WebSocketCloseStatus.PolicyViolation, $"Exotel sample-rate {sampleRate} is not one of 8000, 16000, 24000");
        }

        SampleRate = sampleRate;
        // A 20 ms frame is 320, 640 or 960 bytes: all multiples of the granule, so whole frames keep chunks aligned.
        _pending = new byte[MinChunkBytes + Pcm16.BytesPerFrame(sampleRate, TimeSpan.FromMilliseconds(20))];
    }

    /// <inheritdoc />
    public override string Name => "exotel";

    /// <inheritdoc />
    protected override string Carrier => "Exotel";

    /// <inheritdoc />
    protected override string StreamSidKey => "stream_sid";

    /// <inheritdoc />
    public override OutboundMessage? SerializeAudio(ReadOnlySpan<short> frame)
    {
        if (_pendingBytes + frame.Length * 2 > _pending.Length)
        {
            throw new InvalidOperationException($"Exotel frames must be 20 ms; got {frame.Length} samples at {SampleRate} Hz.");
        }

        _pendingBytes += Pcm16.SamplesToBytes(frame, _pending.AsSpan(_pendingBytes));
        return _pendingBytes >= MinChunkBytes ? TakePending() : null;
    }

    /// <inheritdoc />
    public override OutboundMessage? FlushAudio()
    {
        if (_pendingBytes == 0)
        {
            return null;
        }

        // Pad the tail with silence up to a whole chunk: a short chunk would play as a gap.
        var size = Math.Max(MinChunkBytes, (_pendingBytes + ChunkGranuleBytes - 1) / ChunkGranuleBytes * ChunkGranuleBytes);
        _pending.AsSpan(_pendingBytes, size - _pendingBytes).Clear();
        _pendingBytes = size;
        return TakePending();
    }

    /// <inheritdoc />
    public override OutboundMessage? SerializeClear()
    {
        _pendingBytes = 0;
        return base.SerializeClear();
    }

    /// <inheritdoc />
    protected override short[] DecodeAudio(byte[] payload) => CarrierJson.Pcm16Audio(payload, MaxPayloadBytes, "Exotel");

    /// <inheritdoc />
    protected override byte[] EncodeAudio(ReadOnlySpan<short> samples) => CarrierJson.BinaryPcm16(samples).Payload.ToArray();

    private OutboundMessage TakePending()
    {
        var chunk = _pending.AsSpan(0, _pendingBytes).ToArray();
        _pendingBytes = 0;
        return Media(chunk);
    }
}
