using System.Buffers.Binary;

namespace Vox.FixtureGenerator;

/// <summary>Quantises to 16 bits with seeded TPDF dither and writes mono PCM WAV with the canonical 44-byte header.</summary>
internal static class WavPcm16
{
    /// <summary>Rounds <paramref name="signal"/> (in LSBs) to PCM16 after adding triangular dither of +-1 LSB, as a real recording chain would, so silent stretches are not exact zeros.</summary>
    public static short[] Quantize(ReadOnlySpan<double> signal, Xoshiro256StarStar random)
    {
        var samples = new short[signal.Length];
        for (int i = 0; i < signal.Length; i++)
        {
            double dither = random.NextDouble() - random.NextDouble();
            samples[i] = (short)Math.Clamp(Math.Round(signal[i] + dither, MidpointRounding.ToEven), short.MinValue, short.MaxValue);
        }

        return samples;
    }

    public static async Task WriteAsync(string path, ReadOnlyMemory<short> samples, int sampleRate, CancellationToken cancellationToken)
    {
        int dataBytes = samples.Length * 2;
        var bytes = new byte[44 + dataBytes];
        Span<byte> header = bytes;
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], dataBytes);
        ReadOnlySpan<short> source = samples.Span;
        for (int i = 0; i < source.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(44 + 2 * i), source[i]);
        }

        await File.WriteAllBytesAsync(path, bytes, cancellationToken);
    }
}
