using Vox.MediaWorker.Audio;
using Xunit.Abstractions;

namespace Vox.MediaWorker.Tests.Audio;

public sealed class ResamplerTests(ITestOutputHelper output)
{
    private const double Amplitude = 16000;

    // RMS of the error from rounding to integers (uniform over one LSB).
    private static readonly double RoundingNoiseRms = 1 / Math.Sqrt(12);

    public static TheoryData<int, int> RatePairs()
    {
        int[] rates = [8000, 16000, 24000, 48000];
        var pairs = new TheoryData<int, int>();
        foreach (int from in rates)
        {
            foreach (int to in rates)
            {
                if (from != to)
                {
                    pairs.Add(from, to);
                }
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Process_1kHz_tone_matches_ideal_sine_above_40dB(int inputRate, int outputRate)
    {
        var resampler = new Resampler(inputRate, outputRate);
        short[] input = Signal.SinePcm(inputRate, 1000, Amplitude, inputRate / 2);

        short[] result = ProcessAll(resampler, input);

        double snr = MeasureSnr(result, outputRate, 1000, resampler.GroupDelay.TotalSeconds, Skip(resampler));
        output.WriteLine($"{inputRate} -> {outputRate}: SNR {snr:F1} dB, group delay {resampler.GroupDelaySamples:F2} samples = {resampler.GroupDelay.TotalMilliseconds:F3} ms, {resampler.TapsPerPhase} taps/phase");
        Assert.True(snr > 40, $"SNR {snr:F1} dB");
    }

    // espeak-ng speaks at 22050 Hz; the offline voice converts it to the call's rate.
    public static TheoryData<int, int> EspeakRatePairs() => new()
    {
        { 22050, 8000 },
        { 22050, 16000 },
        { 22050, 24000 },
        { 22050, 48000 },
    };

    [Theory]
    [MemberData(nameof(EspeakRatePairs))]
    public void Process_22050Hz_tone_matches_ideal_sine_above_40dB_with_small_delay(int inputRate, int outputRate)
    {
        var resampler = new Resampler(inputRate, outputRate);
        short[] input = Signal.SinePcm(inputRate, 1000, Amplitude, inputRate / 2);

        short[] result = ProcessAll(resampler, input);

        double snr = MeasureSnr(result, outputRate, 1000, resampler.GroupDelay.TotalSeconds, Skip(resampler));
        output.WriteLine($"{inputRate} -> {outputRate}: SNR {snr:F1} dB, group delay {resampler.GroupDelay.TotalMilliseconds:F3} ms, {resampler.TapsPerPhase} taps/phase");
        Assert.True(snr > 40, $"SNR {snr:F1} dB");
        Assert.True(resampler.GroupDelay < TimeSpan.FromMilliseconds(5), $"{resampler.GroupDelay.TotalMilliseconds} ms");
    }

    [Theory]
    [MemberData(nameof(EspeakRatePairs))]
    public void Process_22050Hz_odd_chunk_sizes_equal_one_shot_sample_for_sample(int inputRate, int outputRate)
    {
        short[] input = Noise(inputRate / 4, seed: outputRate);
        short[] oneShot = ProcessAll(new Resampler(inputRate, outputRate), input);

        var chunked = new Resampler(inputRate, outputRate);
        var result = new List<short>();
        var buffer = new short[chunked.GetMaxOutputLength(1103)];
        for (int offset = 0, i = 0; offset < input.Length; i++)
        {
            int size = Math.Min(i % 2 == 0 ? 1103 : 37, input.Length - offset);
            result.AddRange(buffer.AsSpan(0, chunked.Process(input.AsSpan(offset, size), buffer)));
            offset += size;
        }

        Assert.Equal(oneShot, result.ToArray());
    }

    [Fact]
    public void Process_8k_to_16k_and_back_keeps_1kHz_tone_above_40dB()
    {
        var up = new Resampler(8000, 16000);
        var down = new Resampler(16000, 8000);
        short[] input = Signal.SinePcm(8000, 1000, Amplitude, 4000);

        short[] result = ProcessAll(down, ProcessAll(up, input));

        double delay = up.GroupDelay.TotalSeconds + down.GroupDelay.TotalSeconds;
        double snr = MeasureSnr(result, 8000, 1000, delay, Skip(up) / 2 + Skip(down));
        output.WriteLine($"8000 -> 16000 -> 8000: SNR {snr:F1} dB, total delay {delay * 1000:F3} ms");
        Assert.Equal(input.Length, result.Length);
        Assert.True(snr > 40, $"SNR {snr:F1} dB");
    }

    [Theory]
    [InlineData(16000, 8000, 6000)]
    [InlineData(16000, 8000, 4400)]
    [InlineData(48000, 8000, 6000)]
    [InlineData(48000, 16000, 12000)]
    [InlineData(24000, 16000, 9000)]
    public void Process_tone_above_output_nyquist_is_rejected_by_40dB(int inputRate, int outputRate, double frequency)
    {
        var resampler = new Resampler(inputRate, outputRate);
        short[] input = Signal.SinePcm(inputRate, frequency, Amplitude, inputRate / 2);

        short[] result = ProcessAll(resampler, input);

        // An output that rounds to silence is only known to be below the rounding noise, so that is the floor.
        double outputRms = Signal.Rms(result.AsSpan(Skip(resampler)));
        double rejection = 20 * Math.Log10(Signal.Rms(input) / Math.Max(outputRms, RoundingNoiseRms));
        output.WriteLine($"{frequency} Hz at {inputRate} -> {outputRate}: rejected by at least {rejection:F1} dB (output RMS {outputRms:F3})");
        Assert.True(rejection >= 40, $"only {rejection:F1} dB");
    }

    [Theory]
    [InlineData(16000, 8000, 3300)]
    [InlineData(8000, 16000, 3300)]
    [InlineData(48000, 16000, 6500)]
    public void Process_tone_in_passband_keeps_its_level_within_0_1dB(int inputRate, int outputRate, double frequency)
    {
        var resampler = new Resampler(inputRate, outputRate);
        short[] input = Signal.SinePcm(inputRate, frequency, Amplitude, inputRate / 2);

        short[] result = ProcessAll(resampler, input);

        double gain = 20 * Math.Log10(Signal.Rms(result.AsSpan(Skip(resampler))) / Signal.Rms(input));
        output.WriteLine($"{frequency} Hz at {inputRate} -> {outputRate}: gain {gain:F4} dB");
        Assert.InRange(gain, -0.1, 0.1);
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Process_odd_chunk_sizes_equal_one_shot_sample_for_sample(int inputRate, int outputRate)
    {
        short[] input = Noise(inputRate / 4, seed: inputRate + outputRate);
        short[] oneShot = ProcessAll(new Resampler(inputRate, outputRate), input);

        var chunked = new Resampler(inputRate, outputRate);
        var result = new List<short>();
        int[] chunkSizes = [1, 7, 13, 159, 161, 3, 1001, 2, 2500, 479];
        var buffer = new short[chunked.GetMaxOutputLength(2500)];
        for (int offset = 0, i = 0; offset < input.Length; i++)
        {
            int size = Math.Min(chunkSizes[i % chunkSizes.Length], input.Length - offset);
            int written = chunked.Process(input.AsSpan(offset, size), buffer);
            result.AddRange(buffer.AsSpan(0, written));
            offset += size;
        }

        Assert.Equal(oneShot, result.ToArray());
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void GetOutputLength_predicts_what_Process_writes(int inputRate, int outputRate)
    {
        var resampler = new Resampler(inputRate, outputRate);
        var buffer = new short[resampler.GetMaxOutputLength(2500)];
        long consumed = 0;
        long produced = 0;
        foreach (int size in new[] { 1, 2, 3, 997, 5, 160, 161, 2500, 7 })
        {
            int expected = resampler.GetOutputLength(size);
            Assert.True(expected <= resampler.GetMaxOutputLength(size));
            Assert.Equal(expected, resampler.Process(new short[size], buffer));
            consumed += size;
            produced += expected;
        }

        // After n input samples exactly ceil(n * out / in) have come out: chunking neither gains nor loses samples.
        Assert.Equal((consumed * outputRate + inputRate - 1) / inputRate, produced);
    }

    [Fact]
    public void Process_constant_input_settles_to_the_same_constant()
    {
        var resampler = new Resampler(8000, 48000);
        var input = new short[800];
        Array.Fill(input, (short)10000);

        short[] result = ProcessAll(resampler, input);

        Assert.All(result.AsSpan(Skip(resampler)).ToArray(), sample => Assert.InRange(sample, 9999, 10001));
    }

    [Fact]
    public void Flush_emits_the_delayed_tail_and_resets()
    {
        var resampler = new Resampler(16000, 8000);
        short[] input = Signal.SinePcm(16000, 1000, Amplitude, 1600);
        var buffer = new short[resampler.GetMaxOutputLength(input.Length) + resampler.FlushLength];

        int written = resampler.Process(input, buffer);
        written += resampler.Flush(buffer.AsSpan(written));

        // The flushed tail accounts for the group delay, so the output covers all of the input in time.
        Assert.InRange(written, 800 + (int)resampler.GroupDelaySamples, 800 + (int)Math.Ceiling(resampler.GroupDelaySamples) + 1);
        Assert.Equal(ProcessAll(new Resampler(16000, 8000), input), ProcessAll(resampler, input));
    }

    [Fact]
    public void Process_output_too_short_throws()
    {
        var resampler = new Resampler(8000, 16000);

        Assert.Throws<ArgumentException>(() => resampler.Process(new short[160], new short[319]));
    }

    [Fact]
    public void Process_same_rate_passes_samples_through_without_delay()
    {
        var resampler = new Resampler(16000, 16000);
        short[] input = Noise(500, seed: 1);
        var result = new short[500];

        Assert.Equal(500, resampler.Process(input, result));
        Assert.Equal(input, result);
        Assert.Equal(TimeSpan.Zero, resampler.GroupDelay);
    }

    [Fact]
    public void Constructor_impractical_ratio_throws()
    {
        Assert.Throws<ArgumentException>(() => new Resampler(8000, 7919));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(0, 8000));
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void GroupDelay_is_consistent_and_fits_the_real_time_budget(int inputRate, int outputRate)
    {
        var resampler = new Resampler(inputRate, outputRate);

        Assert.Equal(resampler.GroupDelaySamples / outputRate, resampler.GroupDelay.TotalSeconds, 6);
        Assert.True(resampler.GroupDelay < TimeSpan.FromMilliseconds(5), $"{resampler.GroupDelay.TotalMilliseconds} ms");
    }

    private static short[] ProcessAll(Resampler resampler, short[] input)
    {
        var result = new short[resampler.GetOutputLength(input.Length)];
        int written = resampler.Process(input, result);
        Assert.Equal(result.Length, written);
        return result;
    }

    // Output samples still influenced by the silence the filter starts from.
    private static int Skip(Resampler resampler) =>
        (int)Math.Ceiling(2 * resampler.GroupDelaySamples) + 2;

    private static double MeasureSnr(short[] result, int sampleRate, double frequency, double delaySeconds, int skip)
    {
        double[] ideal = Signal.Sine(sampleRate, frequency, Amplitude, result.Length, delaySeconds);
        return Signal.SnrDb(result.AsSpan(skip), ideal.AsSpan(skip));
    }

    private static short[] Noise(int count, int seed)
    {
        var random = new Random(seed);
        var samples = new short[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = (short)random.Next(-20000, 20000);
        }

        return samples;
    }
}
