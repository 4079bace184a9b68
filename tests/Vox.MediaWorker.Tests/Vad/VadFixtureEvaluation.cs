using System.Globalization;
using System.Text;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Tests.Audio;

namespace Vox.MediaWorker.Tests.Vad;

/// <summary>What the detector found on one fixture clip against its labels.</summary>
/// <param name="OnsetErrorMs">Detected onset minus labelled speech start (late is positive); null when the speech was missed or there is none.</param>
/// <param name="OffsetErrorMs">Detected offset (end of the last speech frame) minus labelled speech end; null likewise.</param>
/// <param name="FalseTriggers">Speech segments that do not overlap the labelled speech (all segments on noise and silence).</param>
internal sealed record VadClipResult(VadClip Clip, double? OnsetErrorMs, double? OffsetErrorMs, int FalseTriggers, int Segments);

/// <summary>Runs the detector over every fixture clip once for all the evaluation tests, and renders the report table.</summary>
public sealed class VadFixtureEvaluation
{
    public VadFixtureEvaluation()
    {
        Results = VadFixtures.Clips.Select(Evaluate).ToList();
    }

    internal IReadOnlyList<VadClipResult> Results { get; }

    internal static VadClipResult Evaluate(VadClip clip)
    {
        WavAudio audio = WavFile.Read(File.ReadAllBytes(Path.Combine(FixtureFiles.AudioDirectory, clip.File)));
        Assert.Equal(clip.SampleRate, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        List<(TimeSpan Onset, TimeSpan Offset)> segments = VadFixtures.Segments(audio.Samples.Span, audio.SampleRate);
        if (clip.SpeechStartMs is not { } start || clip.SpeechEndMs is not { } end)
        {
            return new VadClipResult(clip, null, null, segments.Count, segments.Count);
        }

        var hits = segments.Where(s => s.Onset.TotalMilliseconds < end && s.Offset.TotalMilliseconds > start).ToList();
        return new VadClipResult(
            clip,
            hits.Count == 0 ? null : hits[0].Onset.TotalMilliseconds - start,
            hits.Count == 0 ? null : hits[^1].Offset.TotalMilliseconds - end,
            segments.Count - hits.Count,
            segments.Count);
    }

    /// <summary>The per-clip table and the per-condition summary, as Markdown.</summary>
    internal string Report()
    {
        var text = new StringBuilder();
        text.AppendLine("| condition | rate | clips | onset error mean / max abs (ms) | offset error mean / min / max (ms) | false triggers |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var group in Results.GroupBy(r => (r.Clip.Condition, r.Clip.SampleRate)).OrderBy(g => Order(g.Key.Condition)).ThenBy(g => g.Key.SampleRate))
        {
            var onsets = group.Where(r => r.OnsetErrorMs is not null).Select(r => r.OnsetErrorMs!.Value).ToList();
            var offsets = group.Where(r => r.OffsetErrorMs is not null).Select(r => r.OffsetErrorMs!.Value).ToList();
            string onset = onsets.Count == 0 ? "-" : Invariant($"{onsets.Average():F1} / {onsets.Max(Math.Abs):F0}");
            string offset = offsets.Count == 0 ? "-" : Invariant($"{offsets.Average():F1} / {offsets.Min():F0} / {offsets.Max():F0}");
            text.AppendLine(Invariant($"| {group.Key.Condition} | {group.Key.SampleRate / 1000}k | {group.Count()} | {onset} | {offset} | {group.Sum(r => r.FalseTriggers)} |"));
        }

        text.AppendLine();
        text.AppendLine("| clip | condition | rate | onset error (ms) | offset error (ms) | false triggers |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (VadClipResult r in Results.OrderBy(r => r.Clip.Id).ThenBy(r => Order(r.Clip.Condition)).ThenBy(r => r.Clip.SampleRate))
        {
            text.AppendLine(Invariant($"| {r.Clip.Id} | {r.Clip.Condition} | {r.Clip.SampleRate / 1000}k | {Format(r.OnsetErrorMs)} | {Format(r.OffsetErrorMs)} | {r.FalseTriggers} |"));
        }

        return text.ToString();
    }

    private static string Format(double? value) => value is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static int Order(string condition) => condition switch
    {
        "clean" => 0,
        "snr20" => 1,
        "snr10" => 2,
        "silence" => 3,
        _ => 4,
    };
}
