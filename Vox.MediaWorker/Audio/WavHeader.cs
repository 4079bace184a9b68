using System.Buffers.Binary;

namespace Vox.MediaWorker.Audio;

/// <summary>Lays out the canonical header <see cref="WavFile"/> and <see cref="WavWriter"/> produce.</summary>
internal static class WavHeader
{
    /// <summary>Format tag of linear PCM.</summary>
    public const ushort PcmTag = 1;

    /// <summary>Format tag of G.711 A-law.</summary>
    public const ushort ALawTag = 6;

    /// <summary>Format tag of G.711 mu-law.</summary>
    public const ushort MuLawTag = 7;

    /// <summary>Format tag whose real format is a GUID at the end of the fmt chunk.</summary>
    public const ushort ExtensibleTag = 0xFFFE;

    private const int PcmSize = 44;

    // Non-PCM formats carry cbSize in fmt (18 bytes) and need a fact chunk with the sample count.
    private const int CompandedSize = 58;

    /// <summary>Header bytes before the audio data.</summary>
    public static int GetSize(AudioFormat format) => format.Encoding == AudioEncoding.Pcm16 ? PcmSize : CompandedSize;

    /// <summary>Largest data size whose RIFF size still fits the 32-bit field.</summary>
    public static long GetMaxDataBytes(AudioFormat format) => uint.MaxValue - (GetSize(format) - 8) - 1;

    /// <summary>Rejects formats the writers cannot describe in a plain header.</summary>
    public static void Validate(AudioFormat format, string parameterName)
    {
        if (format.Channels is not (1 or 2))
        {
            throw new ArgumentException($"WAV output supports mono and stereo, not {format.Channels} channels.", parameterName);
        }

        if (format.SampleRate <= 0)
        {
            throw new ArgumentException("WAV output needs a positive sample rate.", parameterName);
        }
    }

    /// <summary>Writes the header for <paramref name="dataBytes"/> bytes of audio into <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, AudioFormat format, long dataBytes)
    {
        int size = GetSize(format);
        long padded = dataBytes + (dataBytes & 1);
        var header = destination[..size];

        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], checked((uint)(size - 8 + padded)));
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);

        bool pcm = format.Encoding == AudioEncoding.Pcm16;
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], pcm ? 16u : 18u);
        ushort tag = format.Encoding switch
        {
            AudioEncoding.MuLaw => MuLawTag,
            AudioEncoding.ALaw => ALawTag,
            _ => PcmTag,
        };
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], tag);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)format.Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)format.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)format.BytesPerSecond);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)format.BlockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)(format.BytesPerSample * 8));

        int offset = 36;
        if (!pcm)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[36..], 0);
            "fact"u8.CopyTo(header[38..]);
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(header[46..], (uint)(dataBytes / format.BlockAlign));
            offset = 50;
        }

        "data"u8.CopyTo(header[offset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[(offset + 4)..], checked((uint)dataBytes));
    }

    /// <summary>Encodes interleaved PCM16 samples in <paramref name="format"/>'s encoding; returns the bytes written.</summary>
    public static int EncodeSamples(AudioFormat format, ReadOnlySpan<short> samples, Span<byte> destination) => format.Encoding switch
    {
        AudioEncoding.MuLaw => MuLawCodec.Encode(samples, destination),
        AudioEncoding.ALaw => ALawCodec.Encode(samples, destination),
        _ => Pcm16.SamplesToBytes(samples, destination),
    };
}
