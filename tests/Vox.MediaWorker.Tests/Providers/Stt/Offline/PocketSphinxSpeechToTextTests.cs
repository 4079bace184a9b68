using Vox.Testing;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Providers.Stt.Offline;
using Xunit.Abstractions;

namespace Vox.MediaWorker.Tests.Providers.Stt.Offline;

[Collection(OfflineSpeechCollection.Name)]
public sealed class PocketSphinxSpeechToTextTests(PocketSphinxFixture sphinx, ITestOutputHelper output)
{
    // Upper bounds on the mean word error rate per condition: the measured value (see the report the test prints)
    // plus a margin for the small sample. The fixtures are espeak-ng voices, which the en-us model recognises poorly;
    // the bounds catch regressions (a broken front end or level stage pushes every condition to about 1.0).
    private static readonly Dictionary<string, double> MeanWerBounds = new()
    {
        ["clean_16k"] = 0.65,
        ["snr20_16k"] = 0.80,
        ["snr10_16k"] = 0.95,
        ["clean_8k"] = 0.80,
        ["snr20_8k"] = 0.85,
        ["snr10_8k"] = 1.0,
    };

    [Fact]
    public async Task Fixture_clips_are_recognised_within_the_measured_word_error_rates()
    {
        Transcription[] results = await Transcription.RunEachAsync(sphinx.SpeechToText, SpeechFixtures.Clips);
        var rows = SpeechFixtures.Clips.Zip(results, (clip, result) => (Clip: clip, Wer: WordErrorRate.Compute(clip.Text, result.Text), Result: result)).ToList();

        var report = new StringBuilder();
        report.AppendLine($"{"clip",-6} {"condition",-10} {"WER",5} {"start ms",8} {"decode s",8}  hypothesis | reference");
        foreach ((SpeechClip clip, double wer, Transcription result) in rows)
        {
            report.AppendLine($"{clip.Id,-6} {Key(clip),-10} {wer,5:F2} {result.StartTime.TotalMilliseconds,8:F1} {result.DecodeTime.TotalSeconds,8:F2}  {result.Text} | {clip.Text}");
        }

        var means = rows.GroupBy(r => Key(r.Clip)).ToDictionary(g => g.Key, g => g.Average(r => r.Wer));
        foreach ((string condition, double mean) in means)
        {
            report.AppendLine($"mean WER {condition,-10} {mean:F3} (bound {MeanWerBounds[condition]:F2})");
        }

        double audio = rows.Sum(r => r.Clip.SpeechEnd.TotalSeconds + 1.5);
        report.AppendLine($"decoding took {rows.Sum(r => r.Result.DecodeTime.TotalSeconds):F1} s (summed over sessions, {Environment.ProcessorCount} at once) for about {audio:F0} s of audio");
        output.WriteLine(report.ToString());

        Assert.All(means, m => Assert.True(m.Value <= MeanWerBounds[m.Key], $"{m.Key}: mean WER {m.Value:F3} > {MeanWerBounds[m.Key]:F2}"));
        Assert.All(rows, r => Assert.Single(r.Result.Finals));
    }

    [Fact]
    public async Task Clean_utt00_at_16k_is_recognised_with_its_key_words()
    {
        SpeechClip clip = SpeechFixtures.Clips.Single(c => c.Id == "utt00" && Key(c) == "clean_16k");

        Transcription result = await Transcription.RunAsync(sphinx.SpeechToText, SpeechFixtures.ReadSamples(clip), clip.SampleRate, CancellationToken.None);

        output.WriteLine($"'{result.Text}' for '{clip.Text}'");
        string[] words = WordErrorRate.Normalize(result.Text);
        Assert.Contains("like", words);
        Assert.Contains("tomorrow", words);
    }

    [Fact]
    public async Task Final_word_times_fall_on_the_spoken_part_of_the_clip()
    {
        SpeechClip[] clips = SpeechFixtures.Clips.Where(c => c.Condition == "clean").ToArray();
        Transcription[] results = await Transcription.RunEachAsync(sphinx.SpeechToText, clips);
        foreach ((SpeechClip clip, Transcription result) in clips.Zip(results))
        {
            TranscriptEvent final = Assert.Single(result.Finals);
            output.WriteLine($"{clip.File}: {final.Start.TotalSeconds:F2}-{final.End.TotalSeconds:F2} s (speech {clip.SpeechStart.TotalSeconds:F2}-{clip.SpeechEnd.TotalSeconds:F2} s), confidence {final.Confidence:F2}");

            Assert.True(final.IsFinal && final.SpeechFinal);
            Assert.NotEqual("", final.Text);
            Assert.InRange(final.Start, clip.SpeechStart - TimeSpan.FromMilliseconds(250), clip.SpeechStart + TimeSpan.FromMilliseconds(500));
            Assert.InRange(final.End, clip.SpeechEnd - TimeSpan.FromMilliseconds(600), clip.SpeechEnd + TimeSpan.FromMilliseconds(250));
            Assert.InRange(final.Confidence ?? -1, 0, 1);
        }
    }

    [Fact]
    public async Task Second_utterance_after_finalize_gets_its_own_final_with_session_times()
    {
        SpeechClip first = SpeechFixtures.Clips.Single(c => c.Id == "utt00" && Key(c) == "clean_16k");
        SpeechClip second = SpeechFixtures.Clips.Single(c => c.Id == "utt05" && Key(c) == "clean_16k");
        short[] firstAudio = SpeechFixtures.ReadSamples(first);
        ISpeechToTextSession session = await sphinx.SpeechToText.StartAsync(new SpeechToTextRequest(16000), CancellationToken.None);
        var events = new List<TranscriptEvent>();
        var secondFinal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task reading = ReadAllAsync(session, events, e =>
        {
            if (events.Count(x => x.SpeechFinal) == 2)
            {
                secondFinal.TrySetResult();
            }
        });

        await SendAsync(session, firstAudio, 16000);
        await session.FinalizeAsync(CancellationToken.None);
        await SendAsync(session, SpeechFixtures.ReadSamples(second), 16000);
        await session.FinalizeAsync(CancellationToken.None);
        await secondFinal.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await session.DisposeAsync();
        await reading;

        TranscriptEvent[] finals = events.Where(e => e.IsFinal).ToArray();
        foreach (TranscriptEvent final in finals)
        {
            output.WriteLine($"{final.Start.TotalSeconds:F2}-{final.End.TotalSeconds:F2} s: {final.Text}");
        }

        Assert.Equal(2, finals.Length);
        var offset = TimeSpan.FromSeconds(firstAudio.Length / 16000.0);
        Assert.InRange(finals[1].Start, offset + second.SpeechStart - TimeSpan.FromMilliseconds(250), offset + second.SpeechStart + TimeSpan.FromMilliseconds(500));
        Assert.Contains("yes", WordErrorRate.Normalize(finals[1].Text));
    }

    [Fact]
    public async Task Interim_transcripts_precede_the_final_and_change_each_time()
    {
        var options = new PocketSphinxOptions { InterimInterval = TimeSpan.Zero };
        var stt = new PocketSphinxSpeechToText(sphinx.Pool, Options.Create(options), TimeProvider.System);
        SpeechClip clip = SpeechFixtures.Clips.Single(c => c.Id == "utt00" && Key(c) == "clean_16k");

        Transcription result = await Transcription.RunAsync(stt, SpeechFixtures.ReadSamples(clip), clip.SampleRate, CancellationToken.None);

        output.WriteLine(string.Join(Environment.NewLine, result.Events.Select(e => $"{(e.IsFinal ? "final  " : "interim")} {e.Text}")));
        TranscriptEvent[] interims = result.Events.TakeWhile(e => !e.IsFinal).ToArray();
        Assert.True(interims.Length >= 2, $"{interims.Length} interim transcripts");
        Assert.All(interims, e => Assert.False(e.SpeechFinal));
        Assert.All(interims.Zip(interims.Skip(1)), pair => Assert.NotEqual(pair.First.Text, pair.Second.Text));
        Assert.True(result.Events[^1].IsFinal);
    }

    [Fact]
    public async Task Interim_transcripts_are_held_back_within_the_interval()
    {
        var options = new PocketSphinxOptions { InterimInterval = TimeSpan.FromHours(1) };
        var stt = new PocketSphinxSpeechToText(sphinx.Pool, Options.Create(options), TimeProvider.System);
        SpeechClip clip = SpeechFixtures.Clips.Single(c => c.Id == "utt00" && Key(c) == "clean_16k");

        Transcription result = await Transcription.RunAsync(stt, SpeechFixtures.ReadSamples(clip), clip.SampleRate, CancellationToken.None);

        Assert.True(Assert.Single(result.Events).IsFinal);
    }

    [Fact]
    public async Task Silence_finalizes_to_an_empty_final()
    {
        SpeechClip silence = new("silence", "silence", 8000, "silence_5s_8k.wav", "", TimeSpan.Zero, TimeSpan.Zero);

        Transcription result = await Transcription.RunAsync(sphinx.SpeechToText, SpeechFixtures.ReadSamples(silence), 8000, CancellationToken.None);

        TranscriptEvent final = Assert.Single(result.Finals);
        Assert.Equal("", final.Text);
        Assert.True(final.SpeechFinal);
        Assert.Null(final.Confidence);
    }

    [Fact]
    public async Task Session_start_takes_a_loaded_decoder_instead_of_loading_the_model()
    {
        await sphinx.Pool.WarmUpAsync(CancellationToken.None);
        int warmRents = sphinx.Pool.WarmRents;

        long started = Stopwatch.GetTimestamp();
        ISpeechToTextSession session = await sphinx.SpeechToText.StartAsync(new SpeechToTextRequest(8000), CancellationToken.None);
        TimeSpan start = Stopwatch.GetElapsedTime(started);
        await session.DisposeAsync();

        output.WriteLine($"model load (fixture warm-up) {sphinx.WarmUpTime.TotalMilliseconds:F0} ms, last decoder load {sphinx.Pool.LastLoadTime.TotalMilliseconds:F0} ms, session start {start.TotalMilliseconds:F2} ms");
        Assert.Equal(warmRents + 1, sphinx.Pool.WarmRents);
    }

    [Fact]
    public async Task Dispose_drops_the_audio_still_queued_instead_of_decoding_it()
    {
        // Ten minutes of speech queued at once, as a decoder far behind its caller has at the end of a call: decoding it
        // takes minutes on any machine, and the call (and the worker's slot) would wait for it.
        SpeechClip clip = SpeechFixtures.Clips.Single(c => c.Id == "utt00" && Key(c) == "clean_16k");
        short[] samples = SpeechFixtures.ReadSamples(clip);
        ISpeechToTextSession session = await sphinx.SpeechToText.StartAsync(new SpeechToTextRequest(16000), CancellationToken.None);
        var events = new List<TranscriptEvent>();
        Task reading = ReadAllAsync(session, events);
        for (int queued = 0; queued < 16000 * 600; queued += samples.Length)
        {
            await SendAsync(session, samples, 16000);
        }

        await session.FinalizeAsync(CancellationToken.None);
        long started = Stopwatch.GetTimestamp();
        await session.DisposeAsync();
        TimeSpan disposing = Stopwatch.GetElapsedTime(started);
        await reading;

        output.WriteLine($"dispose took {disposing.TotalSeconds:F1} s; {events.Count} events");
        Assert.True(disposing < TimeSpan.FromSeconds(60), $"dispose took {disposing.TotalSeconds:F1} s: the queued audio was decoded");
        Assert.DoesNotContain(events, e => e.SpeechFinal);
    }

    [Fact]
    public async Task SendAudio_after_dispose_throws()
    {
        ISpeechToTextSession session = await sphinx.SpeechToText.StartAsync(new SpeechToTextRequest(16000), CancellationToken.None);
        await session.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await session.SendAudioAsync(new short[320], CancellationToken.None));
    }

    [Fact]
    public void Pool_missing_model_names_the_package_to_install()
    {
        var options = Options.Create(new PocketSphinxOptions { ModelDirectory = "/nonexistent/pocketsphinx/model" });

        var error = Assert.Throws<FileNotFoundException>(() => new PocketSphinxDecoderPool(options, NullLogger<PocketSphinxDecoderPool>.Instance));

        Assert.Contains("apt-get install libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pool_rejects_decoder_arguments_that_would_replace_the_model()
    {
        var options = new PocketSphinxOptions();
        options.DecoderArguments["-hmm"] = "/elsewhere";

        var error = Assert.Throws<ArgumentException>(() => new PocketSphinxDecoderPool(Options.Create(options), NullLogger<PocketSphinxDecoderPool>.Instance));

        Assert.Contains("Stt:PocketSphinx:DecoderArguments", error.Message, StringComparison.Ordinal);
    }

    private static string Key(SpeechClip clip) => $"{clip.Condition}_{clip.SampleRate / 1000}k";

    private static async Task SendAsync(ISpeechToTextSession session, short[] samples, int sampleRate)
    {
        for (int offset = 0; offset < samples.Length; offset += sampleRate / 50)
        {
            await session.SendAudioAsync(samples.AsMemory(offset, Math.Min(sampleRate / 50, samples.Length - offset)), CancellationToken.None);
        }
    }

    private static Task ReadAllAsync(ISpeechToTextSession session, List<TranscriptEvent> events, Action<TranscriptEvent>? added = null) => Task.Run(async () =>
    {
        await foreach (TranscriptEvent e in session.ReadEventsAsync(CancellationToken.None))
        {
            events.Add(e);
            added?.Invoke(e);
        }
    });
}
