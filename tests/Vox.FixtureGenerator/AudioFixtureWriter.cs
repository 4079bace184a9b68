using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vox.FixtureGenerator;

/// <summary>Writes the WAV clips and <c>manifest.json</c> described by a <see cref="FixtureSpec"/> into one folder.</summary>
internal sealed class AudioFixtureWriter(FixtureSpec spec, string outputDirectory)
{
    // espeak-ng's output starts abruptly but fades out through a couple of hundred milliseconds of murmur below -42 dBFS.
    // Cutting it where the waveform first and last reaches -42 dBFS gives every clip a definite end, as the earlier
    // fixture set had (cut at -54 dBFS, the fade left labelled "speech" that no detector hears, 67 ms of it on utt02 clean),
    // and leaves the lead and tail silences exactly as long as the spec says.
    private const double TrimThreshold = 256;

    // The boundaries written to the manifest are where the clean clip first and last reaches -54 dBFS, far above the
    // +-1 LSB dither of its silences.
    private const int BoundaryThreshold = 64;

    // The mix of speech and noise is halved, as in the earlier fixture set, so that the loudest clip plus noise at 10 dB
    // SNR stays clear of clipping and all conditions sit at the same level.
    private const double NoisyHeadroom = 0.5;

    private static readonly JsonWriterOptions ManifestJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly int _highestRate = spec.SampleRates.Max();

    public async Task WriteAllAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var entries = new List<string>();
        foreach (UtteranceSpec utterance in spec.Utterances)
        {
            entries.Add(await WriteUtteranceAsync(utterance, cancellationToken));
        }

        foreach (NoiseSpec noise in spec.Noise)
        {
            await WriteNoiseAsync(noise, cancellationToken);
        }

        foreach (SilenceSpec silence in spec.Silence)
        {
            foreach (int rate in spec.SampleRates)
            {
                var samples = new double[(long)silence.DurationMs * rate / 1000];
                await WriteClipAsync($"{silence.Id}_{rate / 1000}k.wav", samples, rate, $"{silence.Id}/{rate}", cancellationToken);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "manifest.json"), "[\n  " + string.Join(",\n  ", entries) + "\n]\n", cancellationToken);
    }

    private async Task<string> WriteUtteranceAsync(UtteranceSpec utterance, CancellationToken cancellationToken)
    {
        (double[] raw, int rawRate) = await EspeakCli.SynthesizeAsync(utterance.Voice, utterance.Text, cancellationToken);
        int first = Array.FindIndex(raw, x => Math.Abs(x) >= TrimThreshold);
        int last = Array.FindLastIndex(raw, x => Math.Abs(x) >= TrimThreshold);
        if (first < 0)
        {
            throw new InvalidDataException($"{utterance.Id}: espeak-ng -v {utterance.Voice} produced no audible sound.");
        }

        var clean = new Dictionary<int, double[]>();
        var quantized = new Dictionary<int, short[]>();
        var files = new List<(string Key, string File)>();
        foreach (int rate in spec.SampleRates)
        {
            double[] speech = SincResampler.Resample(raw.AsSpan(first, last - first + 1), rawRate, rate);
            var framed = new double[Samples(spec.LeadSilenceMs, rate) + speech.Length + Samples(spec.TailSilenceMs, rate)];
            speech.CopyTo(framed, Samples(spec.LeadSilenceMs, rate));
            clean[rate] = framed;
            string file = $"{utterance.Id}_{rate / 1000}k.wav";
            quantized[rate] = await WriteClipAsync(file, framed, rate, $"{utterance.Id}/clean/{rate}", cancellationToken);
            files.Add(($"clean_{rate / 1000}k", file));
        }

        // Measured on the written clean clip at the highest rate, the one with the finest time resolution.
        short[] reference = quantized[_highestRate];
        int onset = Array.FindIndex(reference, s => Math.Abs((int)s) >= BoundaryThreshold);
        int offset = Array.FindLastIndex(reference, s => Math.Abs((int)s) >= BoundaryThreshold) + 1;
        int speechStartMs = (int)((long)onset * 1000 / _highestRate);
        int speechEndMs = (int)(((long)offset * 1000 + _highestRate - 1) / _highestRate);
        int totalMs = (int)Math.Round(reference.Length * 1000.0 / _highestRate);

        foreach (int snr in spec.SnrDb)
        {
            var random = new Xoshiro256StarStar(Xoshiro256StarStar.Derive(spec.Seed, $"{utterance.Id}/noise/snr{snr}"));

            // One noise recording, made at the highest rate and converted down, so every rate of a condition hears the same noise.
            double[] noise = PinkNoise.Generate(random, clean[_highestRate].Length + 64);
            foreach (int rate in spec.SampleRates)
            {
                double[] signal = clean[rate];
                double[] noiseAtRate = SincResampler.Resample(noise, _highestRate, rate);
                int start = Samples(speechStartMs, rate);
                int end = Math.Min(Samples(speechEndMs, rate), signal.Length);
                double gain = Math.Sqrt(MeanSquare(signal.AsSpan(start, end - start)) / MeanSquare(noiseAtRate.AsSpan(start, end - start)) / Math.Pow(10, snr / 10.0));
                var mixed = new double[signal.Length];
                for (int i = 0; i < mixed.Length; i++)
                {
                    mixed[i] = NoisyHeadroom * (signal[i] + gain * noiseAtRate[i]);
                }

                string file = $"{utterance.Id}_snr{snr}_{rate / 1000}k.wav";
                await WriteClipAsync(file, mixed, rate, $"{utterance.Id}/snr{snr}/{rate}", cancellationToken);
                files.Add(($"snr{snr}_{rate / 1000}k", file));
            }
        }

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, ManifestJson))
        {
            writer.WriteStartObject();
            writer.WriteString("id", utterance.Id);
            writer.WriteString("text", utterance.Text);
            writer.WriteString("voice", utterance.Voice);
            writer.WriteNumber("speech_start_ms", speechStartMs);
            writer.WriteNumber("speech_end_ms", speechEndMs);
            writer.WriteNumber("total_ms", totalMs);
            writer.WriteStartObject("files");
            foreach ((string key, string file) in files)
            {
                writer.WriteString(key, file);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(json.ToArray());
    }

    private async Task WriteNoiseAsync(NoiseSpec noise, CancellationToken cancellationToken)
    {
        var random = new Xoshiro256StarStar(Xoshiro256StarStar.Derive(spec.Seed, $"{noise.Id}/noise"));
        int length = Samples(noise.DurationMs, _highestRate);
        double[] pink = PinkNoise.Generate(random, length + 64);
        double scale = 32768 * Math.Pow(10, noise.LevelDbfs / 20) / Math.Sqrt(MeanSquare(pink.AsSpan(0, length)));
        for (int i = 0; i < pink.Length; i++)
        {
            pink[i] *= scale;
        }

        foreach (int rate in spec.SampleRates)
        {
            double[] atRate = SincResampler.Resample(pink, _highestRate, rate);
            await WriteClipAsync($"{noise.Id}_{rate / 1000}k.wav", atRate.AsSpan(0, Samples(noise.DurationMs, rate)).ToArray(), rate, $"{noise.Id}/{rate}", cancellationToken);
        }
    }

    private async Task<short[]> WriteClipAsync(string file, double[] signal, int rate, string ditherStream, CancellationToken cancellationToken)
    {
        short[] samples = WavPcm16.Quantize(signal, new Xoshiro256StarStar(Xoshiro256StarStar.Derive(spec.Seed, ditherStream + "/dither")));
        await WavPcm16.WriteAsync(Path.Combine(outputDirectory, file), samples, rate, cancellationToken);
        return samples;
    }

    private static int Samples(int milliseconds, int rate) => (int)((long)milliseconds * rate / 1000);

    private static double MeanSquare(ReadOnlySpan<double> signal)
    {
        double sum = 0;
        foreach (double x in signal)
        {
            sum += x * x;
        }

        return sum / Math.Max(1, signal.Length);
    }
}
