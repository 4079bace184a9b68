using System.Numerics;

namespace Vox.MediaWorker.Audio;

/// <summary>ITU-T G.711 mu-law codec between 16-bit linear PCM and 8-bit codes.</summary>
/// <remarks>
/// Encoding follows the G.711 segment algorithm on the 14-bit magnitude, as the ITU-T G.191 reference does:
/// negative samples use the one's complement magnitude so the code set is symmetric, and the bias of 33 makes
/// each segment boundary a power of two. Decoding is a table lookup; every code decodes to the midpoint of its
/// quantisation interval, so the error is at most half a segment step (up to 643 at the clipped extremes).
/// </remarks>
public static class MuLawCodec
{
    /// <summary>The code for digital silence (positive zero).</summary>
    public const byte Silence = 0xFF;

    // Largest 14-bit magnitude that still fits segment 7 once biased; anything louder saturates to code 0x80/0x00.
    private const int Clip = 8158;
    private const int Bias = 33;

    /// <summary>Encodes one PCM16 sample.</summary>
    public static byte EncodeSample(short sample)
    {
        int value = sample;
        int mask = value < 0 ? 0x7F : 0xFF;
        int magnitude = Math.Min((value < 0 ? ~value : value) >> 2, Clip) + Bias;

        // The biased magnitude lies in [33, 8191], so its top bit (5..12) picks segment 0..7.
        int segment = BitOperations.Log2((uint)magnitude) - 5;
        int mantissa = (magnitude >> (segment + 1)) & 0x0F;
        return (byte)(((segment << 4) | mantissa) ^ mask);
    }

    /// <summary>Decodes one mu-law code.</summary>
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

    // Generated from the G.711 expansion ((mantissa * 8 + 132) << segment) - 132 on the inverted code;
    // the compiler emits this as read-only data, so there is no start-up cost or mutable state.
    private static ReadOnlySpan<short> DecodeTable =>
    [
        -32124, -31100, -30076, -29052, -28028, -27004, -25980, -24956,
        -23932, -22908, -21884, -20860, -19836, -18812, -17788, -16764,
        -15996, -15484, -14972, -14460, -13948, -13436, -12924, -12412,
        -11900, -11388, -10876, -10364, -9852, -9340, -8828, -8316,
        -7932, -7676, -7420, -7164, -6908, -6652, -6396, -6140,
        -5884, -5628, -5372, -5116, -4860, -4604, -4348, -4092,
        -3900, -3772, -3644, -3516, -3388, -3260, -3132, -3004,
        -2876, -2748, -2620, -2492, -2364, -2236, -2108, -1980,
        -1884, -1820, -1756, -1692, -1628, -1564, -1500, -1436,
        -1372, -1308, -1244, -1180, -1116, -1052, -988, -924,
        -876, -844, -812, -780, -748, -716, -684, -652,
        -620, -588, -556, -524, -492, -460, -428, -396,
        -372, -356, -340, -324, -308, -292, -276, -260,
        -244, -228, -212, -196, -180, -164, -148, -132,
        -120, -112, -104, -96, -88, -80, -72, -64,
        -56, -48, -40, -32, -24, -16, -8, 0,
        32124, 31100, 30076, 29052, 28028, 27004, 25980, 24956,
        23932, 22908, 21884, 20860, 19836, 18812, 17788, 16764,
        15996, 15484, 14972, 14460, 13948, 13436, 12924, 12412,
        11900, 11388, 10876, 10364, 9852, 9340, 8828, 8316,
        7932, 7676, 7420, 7164, 6908, 6652, 6396, 6140,
        5884, 5628, 5372, 5116, 4860, 4604, 4348, 4092,
        3900, 3772, 3644, 3516, 3388, 3260, 3132, 3004,
        2876, 2748, 2620, 2492, 2364, 2236, 2108, 1980,
        1884, 1820, 1756, 1692, 1628, 1564, 1500, 1436,
        1372, 1308, 1244, 1180, 1116, 1052, 988, 924,
        876, 844, 812, 780, 748, 716, 684, 652,
        620, 588, 556, 524, 492, 460, 428, 396,
        372, 356, 340, 324, 308, 292, 276, 260,
        244, 228, 212, 196, 180, 164, 148, 132,
        120, 112, 104, 96, 88, 80, 72, 64,
        56, 48, 40, 32, 24, 16, 8, 0,
    ];
}
