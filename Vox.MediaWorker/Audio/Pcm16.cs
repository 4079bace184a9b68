using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Vox.MediaWorker.Audio;

/// <summary>Helpers for signed 16-bit little-endian PCM: byte/sample conversion, frame energy and frame sizes.</summary>
public static class Pcm16
{
    /// <summary>Magnitude of full scale; a full-scale square wave has an RMS of this value (0 dBFS).</summary>
    public const double FullScale = 32768.0;

    /// <summary>Reads little-endian PCM16 bytes into samples; returns the number of samples written.</summary>
    public static int BytesToSamples(ReadOnlySpan<byte> bytes, Span<short> destination)
    {
        if ((bytes.Length & 1) != 0)
        {
            throw new ArgumentException($"PCM16 needs an even number of bytes, got {bytes.Length}.", nameof(bytes));
        }

        int count = bytes.Length / 2;
        if (destination.Length < count)
        {
            throw new ArgumentException($"Destination holds {destination.Length} samples but {count} are needed.", nameof(destination));
        }

        ReadOnlySpan<short> source = MemoryMarshal.Cast<byte, short>(bytes);
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(destination);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(source, destination[..count]);
        }

        return count;
    }

    /// <summary>Writes samples as little-endian PCM16 bytes; returns the number of bytes written.</summary>
    public static int SamplesToBytes(ReadOnlySpan<short> samples, Span<byte> destination)
    {
        int count = samples.Length * 2;
        if (destination.Length < count)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes but {count} are needed.", nameof(destination));
        }

        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(samples).CopyTo(destination);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(samples, MemoryMarshal.Cast<byte, short>(destination[..count]));
        }

        return count;
    }

    /// <summary>Root-mean-square amplitude of the samples, in sample units (0 to 32768); 0 for an empty span.</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        // A long cannot overflow here: 2^30 per sample allows 2^33 samples, far beyond any frame.
        long sumOfSquares = 0;
        foreach (short sample in samples)
        {
            sumOfSquares += sample * sample;
        }

        return Math.Sqrt((double)sumOfSquares / samples.Length);
    }

    /// <summary>Root-mean-square amplitude of little-endian PCM16 bytes, in sample units.</summary>
    public static double Rms(ReadOnlySpan<byte> pcm)
    {
        if ((pcm.Length & 1) != 0)
        {
            throw new ArgumentException($"PCM16 needs an even number of bytes, got {pcm.Length}.", nameof(pcm));
        }

        if (BitConverter.IsLittleEndian)
        {
            return Rms(MemoryMarshal.Cast<byte, short>(pcm));
        }

        long sumOfSquares = 0;
        for (int i = 0; i < pcm.Length; i += 2)
        {
            int sample = BinaryPrimitives.ReadInt16LittleEndian(pcm[i..]);
            sumOfSquares += sample * sample;
        }

        return pcm.IsEmpty ? 0 : Math.Sqrt((double)sumOfSquares / (pcm.Length / 2));
    }

    /// <summary>Frame energy in dBFS (RMS relative to <see cref="FullScale"/>): a full-scale sine reads about -3 dBFS;
    /// digital silence reads <see cref="double.NegativeInfinity"/>, which compares below any threshold.</summary>
    public static double Dbfs(ReadOnlySpan<short> samples) => ToDbfs(Rms(samples));

    /// <summary>Frame energy of little-endian PCM16 bytes in dBFS; see <see cref="Dbfs(ReadOnlySpan{short})"/>.</summary>
    public static double Dbfs(ReadOnlySpan<byte> pcm) => ToDbfs(Rms(pcm));

    /// <summary>Samples per channel in <paramref name="duration"/> at <paramref name="sampleRate"/> (160 for 20 ms at 8 kHz).</summary>
    /// <exception cref="ArgumentException">The duration is not a whole number of samples at that rate.</exception>
    public static int SamplesPerFrame(int sampleRate, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(duration.Ticks, nameof(duration));

        long scaled = checked(duration.Ticks * sampleRate);
        if (scaled % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"{duration.TotalMilliseconds} ms is not a whole number of samples at {sampleRate} Hz.", nameof(duration));
        }

        return checked((int)(scaled / TimeSpan.TicksPerSecond));
    }

    /// <summary>Bytes of PCM16 in <paramref name="duration"/> (320 for 20 ms of 8 kHz mono).</summary>
    public static int BytesPerFrame(int sampleRate, TimeSpan duration, int channels = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        return checked(SamplesPerFrame(sampleRate, duration) * channels * 2);
    }

    private static double ToDbfs(double rms) => rms == 0 ? double.NegativeInfinity : 20 * Math.Log10(rms / FullScale);
}
