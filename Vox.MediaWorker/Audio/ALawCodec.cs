using System.Numerics;

namespace Vox.MediaWorker.Audio;

/// <summary>ITU-T G.711 A-law codec between 16-bit linear PCM and 8-bit codes.</summary>
/// <remarks>
/// Encoding follows the G.711 segment algorithm on the 13-bit magnitude (one's complement for negatives, as in
/// the ITU-T G.191 reference), with even bits inverted (XOR 0x55) for line transmission. Decoding is a table
/// lookup; every code decodes to the midpoint of its interval, so the error is at most half a segment step.
/// </remarks>
public static class ALawCodec
{
    /// <summary>The code for digital silence (positive zero, which decodes to +8).</summary>
    public const byte Silence = 0xD5;

    /// <summary>Encodes one PCM16 sample.</summary>
    public static byte EncodeSample(short sample)
    {
        int value = sample;
        int mask = value < 0 ? 0x55 : 0xD5;
        int magnitude = (value < 0 ? ~value : value) >> 3;

        // Segments 0 and 1 share a step of 2 (in 13-bit units); from 32 upwards the top bit picks segment 1..7.
        int segment = Math.Max(BitOperations.Log2((uint)magnitude | 1) - 4, 0);
        int mantissa = (magnitude >> Math.Max(segment, 1)) & 0x0F;
        return (byte)(((segment << 4) | mantissa) ^ mask);
    }

    /// <summary>Decodes one A-law code.</summary>
    public static short DecodeSample(byte code) => DecodeTable[code];

    /// <summary>Encodes <paramref name="samples"/> into <paramref name="destination"/>; returns the number of bytes written.</summary>
    public static int Encode(ReadOnlySpan<short> samples, Span<byte> destination)
    {
        if (destination.Length < samples.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes but {samples.Length} are needed.", nameof(destination));
        }

        for (int i = 0; i < samples.Length; i++)
        {
            destination[i] = EncodeSample(samples[i]);
        }

        return samples.Length;
    }

    /// <summary>Decodes <paramref name="codes"/> into <paramref name="destination"/>; returns the number of samples written.</summary>
    public static int Decode(ReadOnlySpan<byte> codes, Span<short> destination)
    {
        if (destination.Length < codes.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} samples but {codes.Length} are needed.", nameof(destination));
        }

        ReadOnlySpan<short> table = DecodeTable;
        for (int i = 0; i < codes.Length; i++)
        {
            destination[i] = table[codes[i]];
        }

        return codes.Length;
    }

    // Generated from the G.711 expansion of (code ^ 0x55): segment 0 -> mantissa * 16 + 8,
    // segment s >= 1 -> (mantissa * 16 + 264) << (s - 1); emitted by the compiler as read-only data.
    private static ReadOnlySpan<short> DecodeTable =>
    [
        -5504, -5248, -6016, -5760, -4480, -4224, -4992, -4736,
        -7552, -7296, -8064, -7808, -6528, -6272, -7040, -6784,
        -2752, -2624, -3008, -2880, -2240, -2112, -2496, -2368,
        -3776, -3648, -4032, -3904, -3264, -3136, -3520, -3392,
        -22016, -20992, -24064, -23040, -17920, -16896, -19968, -18944,
        -30208, -29184, -32256, -31232, -26112, -25088, -28160, -27136,
        -11008, -10496, -12032, -11520, -8960, -8448, -9984, -9472,
        -15104, -14592, -16128, -15616, -13056, -12544, -14080, -13568,
        -344, -328, -376, -360, -280, -264, -312, -296,
        -472, -456, -504, -488, -408, -392, -440, -424,
        -88, -72, -120, -104, -24, -8, -56, -40,
        -216, -200, -248, -232, -152, -136, -184, -168,
        -1376, -1312, -1504, -1440, -1120, -1056, -1248, -1184,
        -1888, -1824, -2016, -1952, -1632, -1568, -1760, -1696,
        -688, -656, -752, -720, -560, -528, -624, -592,
        -944, -912, -1008, -976, -816, -784, -880, -848,
        5504, 5248, 6016, 5760, 4480, 4224, 4992, 4736,
        7552, 7296, 8064, 7808, 6528, 6272, 7040, 6784,
        2752, 2624, 3008, 2880, 2240, 2112, 2496, 2368,
        3776, 3648, 4032, 3904, 3264, 3136, 3520, 3392,
        22016, 20992, 24064, 23040, 17920, 16896, 19968, 18944,
        30208, 29184, 32256, 31232, 26112, 25088, 28160, 27136,
        11008, 10496, 12032, 11520, 8960, 8448, 9984, 9472,
        15104, 14592, 16128, 15616, 13056, 12544, 14080, 13568,
        344, 328, 376, 360, 280, 264, 312, 296,
        472, 456, 504, 488, 408, 392, 440, 424,
        88, 72, 120, 104, 24, 8, 56, 40,
        216, 200, 248, 232, 152, 136, 184, 168,
        1376, 1312, 1504, 1440, 1120, 1056, 1248, 1184,
        1888, 1824, 2016, 1952, 1632, 1568, 1760, 1696,
        688, 656, 752, 720, 560, 528, 624, 592,
        944, 912, 1008, 976, 816, 784, 880, 848,
    ];
}
