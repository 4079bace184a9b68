using Xunit.Abstractions;

namespace Vox.MediaWorker.Tests.Vad;

/// <summary>
/// The detector against the labelled fixtures: the requirements (nothing on silence, onsets within 100 ms on
/// clean and 20 dB SNR speech) and bounds set with margin around what was measured (see docs/vad.md).
/// </summary>
public sealed class VadFixtureEvaluationTests(VadFixtureEvaluation evaluation, ITestOutputHelper output) : IClassFixture<VadFixtureEvaluation>
{
    // (condition, max |onset error|, min offset error, max offset error) in ms. Measured on the generated fixtures: clean
    // onsets 0 and offsets +1..+18; snr20 onsets 0..+20 and offsets -91..+21; snr10 onsets 0..+60 and offsets -124..+14. The offset runs early when
    // the last sound (/s/, /th/) sinks into the noise.
    public static TheoryData<string, double, double, double> Bounds() => new()
    {
        { "clean", 100, -40, 40 },
        { "snr20", 100, -120, 60 },
        { "snr10", 60, -150, 60 },
    };

    [Fact]
    public void Fixtures_cover_every_condition_at_both_rates()
    {
        Assert.Equal(8 * 3 * 2 + 4, evaluation.Results.Count);
        Assert.All(
            evaluation.Results.GroupBy(r => (r.Clip.Condition, r.Clip.SampleRate)),
            group => Assert.Equal(group.Key.Condition is "silence" or "noise" ? 1 : 8, group.Count()));
    }

    [Fact]
    public void Fixtures_silence_never_triggers()
    {
        var silence = evaluation.Results.Where(r => r.Clip.Condition == "silence").ToList();

        Assert.Equal([8000, 16000], silence.Select(r => r.Clip.SampleRate).Order());
        Assert.All(silence, r => Assert.Equal(0, r.Segments));
    }

    [Fact]
    public void Fixtures_stationary_noise_never_triggers()
    {
        var noise = evaluation.Results.Where(r => r.Clip.Condition == "noise").ToList();

        Assert.Equal(2, noise.Count);
        Assert.All(noise, r => Assert.Equal(0, r.Segments));
    }

    [Fact]
    public void Fixtures_speech_clips_have_no_false_triggers()
    {
        Assert.All(evaluation.Results.Where(r => r.Clip.SpeechStartMs is not null), r => Assert.True(r.FalseTriggers == 0, $"{r.Clip.File}: {r.FalseTriggers} false triggers"));
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Fixtures_onset_and_offset_errors_stay_within_bounds(string condition, double maxOnsetMs, double minOffsetMs, double maxOffsetMs)
    {
        var clips = evaluation.Results.Where(r => r.Clip.Condition == condition).ToList();

        Assert.Equal(16, clips.Count);
        Assert.All(clips, r =>
        {
            Assert.True(r.OnsetErrorMs is { } onset && Math.Abs(onset) <= maxOnsetMs, $"{r.Clip.File}: onset error {r.OnsetErrorMs} ms, allowed +-{maxOnsetMs}");
            Assert.True(
                r.OffsetErrorMs is { } offset && offset >= minOffsetMs && offset <= maxOffsetMs,
                $"{r.Clip.File}: offset error {r.OffsetErrorMs} ms, allowed {minOffsetMs}..{maxOffsetMs}");
        });
    }

    [Fact]
    public void Fixtures_report_is_written()
    {
        string report = evaluation.Report();
        output.WriteLine(report);
        string path = Path.Combine(AppContext.BaseDirectory, "vad-fixture-report.md");
        File.WriteAllText(path, report);
        output.WriteLine($"Written to {path}; docs/vad.md carries a copy.");

        Assert.Contains("| noise | 8k | 1 |", report, StringComparison.Ordinal);
    }
}
