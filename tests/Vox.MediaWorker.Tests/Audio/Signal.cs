namespace Vox.MediaWorker.Tests.Audio;

/// <summary>Test signals and the measurements the audio tests assert on.</summary>
internal static class Signal
{
    /// <summary>The ideal sine, sampled at <paramref name="sampleRate"/> and delayed by <paramref name="delaySeconds"/>.</summary>
    public static double[] Sine(int sampleRate, double frequency, double amplitude, int count, double delaySeconds = 0)
    {
        var samples = new double[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = amplitude * Math.Sin(2 * Math.PI * frequency * ((double)i / sampleRate - delaySeconds));
        }

        return samples;
    }

    /// <summary>The sine rounded to PCM16.</summary>
    public static short[] SinePcm(int sampleRate, double frequency, double amplitude, int count) =>
        Array.ConvertAll(Sine(sampleRate, frequency, amplitude, count), v => (short)Math.Round(v));

    /// <summary>Signal-to-noise ratio of <paramref name="actual"/> against <paramref name="ideal"/>, in dB.</summary>
    public static double SnrDb(ReadOnlySpan<short> actual, ReadOnlySpan<double> ideal)
    {
        Assert.Equal(ideal.Length, actual.Length);
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < ideal.Length; i++)
        {
            signal += ideal[i] * ideal[i];
            double error = actual[i] - ideal[i];
            noise += error * error;
        }

        return 10 * Math.Log10(signal / Math.Max(noise, 1e-12));
    }

    /// <summary>Root-mean-square of a slice, in sample units.</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (short sample in samples)
        {
            sum += (double)sample * sample;
        }

        return Math.Sqrt(sum / samples.Length);
    }
}
