using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Rtp;

/// <summary>The static RTP payload types Vox carries (RFC 3551): G.711 mu-law (0) and A-law (8), 8 kHz.</summary>
public static class RtpCodec
{
    /// <summary>PCMU.</summary>
    public const byte Pcmu = 0;

    /// <summary>PCMA.</summary>
    public const byte Pcma = 8;

    /// <summary>G.711's sample rate.</summary>
    public const int SampleRate = 8000;

    /// <summary>Samples in a 20 ms packet.</summary>
    public const int SamplesPerPacket = 160;

    /// <summary>True for a payload type this codec decodes.</summary>
    public static bool IsAudio(byte payloadType) => payloadType is Pcmu or Pcma;

    /// <summary>Decodes a G.711 payload; returns the samples written.</summary>
    public static int Decode(byte payloadType, ReadOnlySpan<byte> payload, Span<short> destination) =>
        payloadType == Pcma ? ALawCodec.Decode(payload, destination) : MuLawCodec.Decode(payload, destination);

    /// <summary>Encodes PCM16 to G.711; returns the bytes written.</summary>
    public static int Encode(byte payloadType, ReadOnlySpan<short> samples, Span<byte> destination) =>
        payloadType == Pcma ? ALawCodec.Encode(samples, destination) : MuLawCodec.Encode(samples, destination);
}
