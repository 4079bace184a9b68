using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.MediaWorker.Providers.Tts;
using Vox.MediaWorker.Providers.Tts.Offline;
using Xunit.Abstractions;

namespace Vox.MediaWorker.Tests.Providers.Tts.Offline;

[Collection(OfflineSpeechCollection.Name)]
public sealed class EspeakTextToSpeechTests(EspeakEngineFixture espeak, ITestOutputHelper output)
{
    private const string Sentence = "Hello, this is the offline voice of Vox speaking.";

    // About a minute of speech: long enough that synthesising it all takes far longer than the first chunk.
    private static readonly string LongText = string.Concat(Enumerable.Repeat(
        "The quick brown fox jumps over the lazy dog, and then it runs all the way back home again. ", 20));

    private readonly EspeakTextToSpeech _tts = espeak.TextToSpeech;

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(24000)]
    [InlineData(48000)]
    public async Task SynthesizeAsync_each_rate_yields_speech_at_that_rate_with_plausible_duration(int sampleRate)
    {
        long started = Stopwatch.GetTimestamp();
        TimeSpan? firstChunk = null;
        var chunks = new List<SpeechAudioChunk>();
        await foreach (SpeechAudioChunk chunk in _tts.SynthesizeAsync(Sentence, new TextToSpeechRequest(sampleRate), CancellationToken.None))
        {
            firstChunk ??= Stopwatch.GetElapsedTime(started);
            chunks.Add(chunk);
        }

        short[] audio = Concat(chunks);
        double seconds = (double)audio.Length / sampleRate;
        double[] levels = SpeechMeasure.FrameLevelsDbfs(audio, sampleRate);
        double voiced = levels.Count(l => l > -40) / (double)levels.Length;
        output.WriteLine($"{sampleRate} Hz: {chunks.Count} chunks, {seconds:F2} s of audio, first chunk after {firstChunk!.Value.TotalMilliseconds:F1} ms, " +
            $"{voiced:P0} of 20 ms frames above -40 dBFS, loudest {levels.Max():F1} dBFS");

        Assert.All(chunks, c => Assert.Equal(sampleRate, c.SampleRate));

        // 9 words at espeak-ng's 175 words per minute is about 3 s.
        Assert.InRange(seconds, 1.5, 6);
        Assert.True(voiced > 0.5, $"only {voiced:P0} of frames are above -40 dBFS");
        Assert.InRange(levels.Max(), -25, 0);
    }

    [Fact]
    public async Task SynthesizeAsync_resampled_rates_keep_the_same_level_and_length()
    {
        short[] narrow = Concat(await CollectAsync(Sentence, new TextToSpeechRequest(8000)));
        short[] wide = Concat(await CollectAsync(Sentence, new TextToSpeechRequest(48000)));

        double narrowSeconds = narrow.Length / 8000.0;
        double wideSeconds = wide.Length / 48000.0;
        double levelDifference = Math.Abs(RmsDbfs(narrow) - RmsDbfs(wide));
        output.WriteLine($"8 kHz: {narrowSeconds:F3} s, {RmsDbfs(narrow):F1} dBFS; 48 kHz: {wideSeconds:F3} s, {RmsDbfs(wide):F1} dBFS");

        // espeak-ng varies its timing a little from run to run, so lengths agree to a few percent, not exactly.
        Assert.InRange(narrowSeconds / wideSeconds, 0.97, 1.03);

        // 8 kHz loses what espeak-ng puts above 4 kHz, which is little of the energy.
        Assert.True(levelDifference < 1.5, $"levels differ by {levelDifference:F2} dB");
    }

    [Fact]
    public async Task SynthesizeAsync_long_text_yields_the_first_chunk_long_before_synthesis_ends()
    {
        // A warm engine, and the best of three runs: a busy machine can stall any one run (a clean run once saw the
        // first chunk at 107 of 142 ms while a build ran beside it). A synthesis that did not stream would fail all three.
        await foreach (SpeechAudioChunk _ in _tts.SynthesizeAsync("Warm up.", new TextToSpeechRequest(16000), CancellationToken.None))
        {
        }

        double bestShare = double.MaxValue;
        for (int run = 0; run < 3 && bestShare >= 0.25; run++)
        {
            long started = Stopwatch.GetTimestamp();
            TimeSpan firstChunk = TimeSpan.Zero;
            int samples = 0;
            await foreach (SpeechAudioChunk chunk in _tts.SynthesizeAsync(LongText, new TextToSpeechRequest(16000), CancellationToken.None))
            {
                if (samples == 0)
                {
                    firstChunk = Stopwatch.GetElapsedTime(started);
                }

                samples += chunk.Samples.Length;
            }

            TimeSpan total = Stopwatch.GetElapsedTime(started);
            output.WriteLine($"run {run + 1}: {samples / 16000.0:F1} s of speech: first chunk after {firstChunk.TotalMilliseconds:F1} ms, all of it after {total.TotalMilliseconds:F1} ms");
            Assert.True(samples / 16000.0 > 45, "the text should make well over 45 s of speech");
            bestShare = Math.Min(bestShare, firstChunk / total);
        }

        Assert.True(bestShare < 0.25, $"the first chunk came after {bestShare:P0} of the synthesis time at best");
    }

    [Fact]
    public async Task SynthesizeAsync_cancelled_after_first_chunk_stops_and_frees_the_engine()
    {
        using var cancellation = new CancellationTokenSource();
        int samples = 0;
        long cancelledAt = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (SpeechAudioChunk chunk in _tts.SynthesizeAsync(LongText, new TextToSpeechRequest(16000), cancellation.Token))
            {
                samples += chunk.Samples.Length;
                if (cancelledAt == 0)
                {
                    cancelledAt = Stopwatch.GetTimestamp();
                    await cancellation.CancelAsync();
                }
            }
        });

        TimeSpan stopping = Stopwatch.GetElapsedTime(cancelledAt);

        // The engine takes the next request at once: the cancelled synthesis released it.
        long next = Stopwatch.GetTimestamp();
        List<SpeechAudioChunk> after = await CollectAsync("Still here.", new TextToSpeechRequest(16000));
        TimeSpan nextTook = Stopwatch.GetElapsedTime(next);
        output.WriteLine($"stopped {stopping.TotalMilliseconds:F1} ms after cancelling, having yielded {samples / 16000.0:F2} s; next synthesis took {nextTook.TotalMilliseconds:F1} ms");

        Assert.True(samples / 16000.0 < 2, $"{samples / 16000.0:F2} s yielded after cancelling on the first chunk");
        Assert.True(stopping < TimeSpan.FromMilliseconds(500), $"{stopping.TotalMilliseconds:F0} ms to stop");
        Assert.NotEmpty(after);
    }

    [Theory]
    [InlineData("Hello world, this is a test.")]
    [InlineData("Call 4567 now, please!")]
    [InlineData("\"Quoted\" café; naïve — end.")]
    public async Task SynthesizeAsync_chunk_texts_joined_give_back_the_text(string text)
    {
        List<SpeechAudioChunk> chunks = await CollectAsync(text, new TextToSpeechRequest(16000));

        string[] texts = chunks.Where(c => c.Text is not null).Select(c => c.Text!).ToArray();
        output.WriteLine(string.Join(" | ", chunks.Select(c => $"{c.Samples.Length}:{c.Text}")));

        string[] tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(' ', tokens), string.Join(' ', texts));

        // One chunk per spoken word; a lone dash is not spoken and rides with the word before it.
        Assert.Equal(tokens.Count(t => t.Any(char.IsLetterOrDigit)), texts.Length);
    }

    [Fact]
    public async Task SynthesizeAsync_word_chunks_last_as_long_as_their_words()
    {
        List<SpeechAudioChunk> chunks = await CollectAsync("Hi extraordinarily", new TextToSpeechRequest(16000));

        // Each word's audio ends in the chunk carrying it, so the long word carries more audio than the short one.
        int shortWord = SamplesUpTo(chunks, "Hi");
        int longWord = SamplesUpTo(chunks, "extraordinarily") - shortWord;
        output.WriteLine($"'Hi': {shortWord / 16.0:F0} ms, 'extraordinarily': {longWord / 16.0:F0} ms");

        Assert.True(longWord > 2 * shortWord, $"{shortWord} vs {longWord} samples");
    }

    [Fact]
    public async Task SynthesizeAsync_speed_two_speaks_in_about_half_the_time()
    {
        int normal = Concat(await CollectAsync(Sentence, new TextToSpeechRequest(16000))).Length;
        int fast = Concat(await CollectAsync(Sentence, new TextToSpeechRequest(16000, Speed: 2))).Length;

        output.WriteLine($"speed 1: {normal / 16000.0:F2} s, speed 2: {fast / 16000.0:F2} s");
        Assert.InRange((double)fast / normal, 0.35, 0.7);
    }

    [Fact]
    public async Task SynthesizeAsync_female_variant_speaks_higher_than_the_default_voice()
    {
        short[] standard = Concat(await CollectAsync(Sentence, new TextToSpeechRequest(16000, Voice: "en-us")));
        short[] british = Concat(await CollectAsync(Sentence, new TextToSpeechRequest(16000, Voice: "en-gb+f3")));

        double standardPitch = SpeechMeasure.MedianPitchHz(standard, 16000);
        double britishPitch = SpeechMeasure.MedianPitchHz(british, 16000);
        output.WriteLine($"en-us: {standardPitch:F0} Hz, en-gb+f3: {britishPitch:F0} Hz");

        Assert.True(britishPitch > 1.4 * standardPitch, $"en-us {standardPitch:F0} Hz, en-gb+f3 {britishPitch:F0} Hz");
    }

    [Fact]
    public async Task SynthesizeAsync_unknown_voice_falls_back_to_the_language_voice()
    {
        // A cloud provider's voice name, as a bot falls back to the offline stack with it.
        short[] unknown = Concat(await CollectAsync(Sentence, new TextToSpeechRequest(16000, Voice: "Rachel", Language: "en-GB")));
        short[] british = Concat(await CollectAsync(Sentence, new TextToSpeechRequest(16000, Voice: "en-gb")));
        short[] american = Concat(await CollectAsync(Sentence, new TextToSpeechRequest(16000, Voice: "en-us")));

        // espeak-ng varies its timing a little from run to run (well under 1%), while en-us and en-gb differ by about 5%.
        output.WriteLine($"Rachel/en-GB: {unknown.Length} samples, en-gb: {british.Length}, en-us: {american.Length}");
        Assert.InRange((double)unknown.Length / british.Length, 0.98, 1.02);
        Assert.True(Math.Abs(unknown.Length - british.Length) < Math.Abs(unknown.Length - american.Length));
    }

    [Fact]
    public async Task SynthesizeAsync_blank_text_yields_nothing()
    {
        Assert.Empty(await CollectAsync("  ", new TextToSpeechRequest(16000)));
    }

    [Fact]
    public void Constructor_missing_data_folder_names_the_packages_to_install()
    {
        var options = Options.Create(new EspeakOptions { DataPath = "/nonexistent/espeak-ng-data" });

        var error = Assert.Throws<DirectoryNotFoundException>(() => new EspeakEngine(options, NullLogger<EspeakEngine>.Instance));

        Assert.Contains("apt-get install libespeak-ng1 espeak-ng-data", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/espeak-ng-data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_second_engine_in_the_process_throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new EspeakEngine(Options.Create(new EspeakOptions()), NullLogger<EspeakEngine>.Instance));

        Assert.Contains("singleton", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_reports_the_native_rate_and_data_folder()
    {
        output.WriteLine($"espeak-ng {espeak.Engine.Version}, {espeak.Engine.SampleRate} Hz, data {espeak.Engine.DataPath}");

        Assert.Equal(22050, espeak.Engine.SampleRate);
        Assert.True(File.Exists(Path.Combine(espeak.Engine.DataPath, "phontab")));
    }

    private async Task<List<SpeechAudioChunk>> CollectAsync(string text, TextToSpeechRequest request)
    {
        var chunks = new List<SpeechAudioChunk>();
        await foreach (SpeechAudioChunk chunk in _tts.SynthesizeAsync(text, request, CancellationToken.None))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private static short[] Concat(IEnumerable<SpeechAudioChunk> chunks) => chunks.SelectMany(c => c.Samples.ToArray()).ToArray();

    private static int SamplesUpTo(List<SpeechAudioChunk> chunks, string word)
    {
        int total = 0;
        foreach (SpeechAudioChunk chunk in chunks)
        {
            total += chunk.Samples.Length;
            if (chunk.Text == word)
            {
                return total;
            }
        }

        throw new Xunit.Sdk.XunitException($"no chunk carries '{word}'");
    }

    private static double RmsDbfs(short[] samples) =>
        10 * Math.Log10(samples.Average(s => (double)s * s) / (32768.0 * 32768.0));
}
