namespace Vox.MediaWorker.Tests.Vad;

/// <summary>Seeded, reproducible noise at a given level for detector tests.</summary>
internal static class NoiseSignal
{
    /// <summary>Pink noise (-3 dB per octave; Paul Kellet's filter over white noise) with an RMS of <paramref name="dbfs"/>.</summary>
    public static short[] Pink(int count, double dbfs, int seed)
    {
        var random = new Random(seed);
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
        var samples = new double[count];
        for (int i = 0; i < count; i++)
        {
            double white = (random.NextDouble() * 2) - 1;
            b0 = (0.99886 * b0) + (white * 0.0555179);
            b1 = (0.99332 * b1) + (white * 0.0750759);
            b2 = (0.96900 * b2) + (white * 0.1538520);
            b3 = (0.86650 * b3) + (white * 0.3104856);
            b4 = (0.55000 * b4) + (white * 0.5329522);
            b5 = (-0.7616 * b5) - (white * 0.0168980);
            samples[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + (white * 0.5362);
            b6 = white * 0.115926;
        }

        return Scale(samples, dbfs);
    }

    /// <summary>White noise (<paramref name="pole"/> 0) or red/brown noise (one-pole low-pass, pole near 1) at <paramref name="dbfs"/>.</summary>
    public static short[] Colored(int count, double dbfs, int seed, double pole)
    {
        var random = new Random(seed);
        var samples = new double[count];
        double state = 0;
        for (int i = 0; i < count; i++)
        {
            state = (pole * state) + ((random.NextDouble() * 2) - 1);
            samples[i] = state;
        }

        double mean = samples.Average();
        return Scale(Array.ConvertAll(samples, v => v - mean), dbfs);
    }

    public static short[] Concat(params short[][] parts) => parts.SelectMany(p => p).ToArray();

    private static short[] Scale(double[] samples, double dbfs)
    {
        double rms = Math.Sqrt(samples.Sum(v => v * v) / samples.Length);
        double gain = Math.Pow(10, dbfs / 20) * 32768 / rms;
        return Array.ConvertAll(samples, v => (short)Math.Clamp(Math.Round(v * gain), short.MinValue, short.MaxValue));
    }
}
