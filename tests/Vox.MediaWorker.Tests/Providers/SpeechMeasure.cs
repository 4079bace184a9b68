namespace Vox.MediaWorker.Tests.Providers;

/// <summary>Measurements on synthesised speech: level per 20 ms frame and a rough pitch estimate.</summary>
internal static class SpeechMeasure
{
    /// <summary>RMS level of each 20 ms frame in dBFS (full scale = 32768).</summary>
    public static double[] FrameLevelsDbfs(ReadOnlySpan<short> samples, int sampleRate)
    {
        int frame = sampleRate / 50;
        var levels = new double[samples.Length / frame];
        for (int i = 0; i < levels.Length; i++)
        {
            double sum = 0;
            foreach (short sample in samples.Slice(i * frame, frame))
            {
                sum += (double)sample * sample;
            }

            levels[i] = 10 * Math.Log10(Math.Max(sum / frame, 1e-3) / (32768.0 * 32768.0));
        }

        return levels;
    }

    /// <summary>Median fundamental frequency over frames louder than -35 dBFS, by normalised autocorrelation between 60 and 400 Hz.</summary>
    public static double MedianPitchHz(ReadOnlySpan<short> samples, int sampleRate)
    {
        int window = sampleRate / 25;
        int minLag = sampleRate / 400;
        int maxLag = sampleRate / 60;
        double[] levels = FrameLevelsDbfs(samples, sampleRate);
        var pitches = new List<double>();
        for (int frame = 0; frame < levels.Length; frame++)
        {
            int start = frame * sampleRate / 50;
            if (levels[frame] < -35 || start + window + maxLag > samples.Length)
            {
                continue;
            }

            ReadOnlySpan<short> x = samples.Slice(start, window + maxLag);
            double bestScore = 0;
            int bestLag = 0;
            for (int lag = minLag; lag <= maxLag; lag++)
            {
                double cross = 0, energyA = 0, energyB = 0;
                for (int i = 0; i < window; i++)
                {
                    cross += (double)x[i] * x[i + lag];
                    energyA += (double)x[i] * x[i];
                    energyB += (double)x[i + lag] * x[i + lag];
                }

                double score = cross / Math.Sqrt(energyA * energyB + 1e-9);
                if (score > bestScore)
                {
                    bestScore = score;
                    bestLag = lag;
                }
            }

            if (bestScore > 0.7)
            {
                pitches.Add((double)sampleRate / bestLag);
            }
        }

        Assert.NotEmpty(pitches);
        pitches.Sort();
        return pitches[pitches.Count / 2];
    }
}
