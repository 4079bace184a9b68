using System.Text.Json;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Tests.Audio;
using Vox.MediaWorker.Vad;

namespace Vox.MediaWorker.Tests.Vad;

/// <summary>One fixture recording with its labelled speech region; noise and silence clips have none.</summary>
internal sealed record VadClip(string Id, string Condition, int SampleRate, string File, int? SpeechStartMs, int? SpeechEndMs);

/// <summary>The fixture clips from manifest.json and a runner that collects a detector's speech segments over a clip.</summary>
internal static class VadFixtures
{
    public static IReadOnlyList<VadClip> Clips { get; } = LoadClips();

    /// <summary>The detector's speech segments over <paramref name="samples"/>: onset and offset of each, a segment still open at the end closed at its last speech frame.</summary>
    public static List<(TimeSpan Onset, TimeSpan Offset)> Segments(ReadOnlySpan<short> samples, int sampleRate, VadOptions? options = null)
    {
        var detector = new VoiceActivityDetector(sampleRate, options);
        int frameSize = detector.SamplesPerFrame;
        var segments = new List<(TimeSpan, TimeSpan)>();
        TimeSpan? onset = null;
        TimeSpan lastSpeechEnd = default;
        for (int start = 0; start + frameSize <= samples.Length; start += frameSize)
        {
            VadFrameResult frame = detector.Process(samples.Slice(start, frameSize));
            if (frame.Event == VadEvent.SpeechStarted)
            {
                onset = frame.EventTime;
            }
            else if (frame.Event == VadEvent.SpeechStopped)
            {
                segments.Add((onset!.Value, frame.EventTime));
                onset = null;
            }

            if (frame.State == VadState.Speaking)
            {
                lastSpeechEnd = frame.End;
            }
        }

        if (onset is { } open)
        {
            segments.Add((open, lastSpeechEnd));
        }

        return segments;
    }

    public static short[] Read(string file) => WavFile.Read(System.IO.File.ReadAllBytes(Path.Combine(FixtureFiles.AudioDirectory, file))).Samples.ToArray();

    private static List<VadClip> LoadClips()
    {
        using JsonDocument manifest = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(FixtureFiles.AudioDirectory, "manifest.json")));
        var clips = new List<VadClip>();
        foreach (JsonElement clip in manifest.RootElement.EnumerateArray())
        {
            string id = clip.GetProperty("id").GetString()!;
            int start = clip.GetProperty("speech_start_ms").GetInt32();
            int end = clip.GetProperty("speech_end_ms").GetInt32();
            foreach (JsonProperty file in clip.GetProperty("files").EnumerateObject())
            {
                // Keys are "<condition>_<rate>", e.g. "snr20_8k".
                int separator = file.Name.LastIndexOf('_');
                string condition = file.Name[..separator];
                int sampleRate = file.Name[(separator + 1)..] switch
                {
                    "8k" => 8000,
                    "16k" => 16000,
                    _ => throw new InvalidDataException($"manifest key '{file.Name}' does not name a sample rate."),
                };
                clips.Add(new VadClip(id, condition, sampleRate, file.Value.GetString()!, start, end));
            }
        }

        // Not in the manifest; named by convention next to it.
        foreach (string kind in new[] { "silence", "noise" })
        {
            foreach ((int rate, string suffix) in new[] { (8000, "8k"), (16000, "16k") })
            {
                clips.Add(new VadClip($"{kind}_5s", kind, rate, $"{kind}_5s_{suffix}.wav", null, null));
            }
        }

        return clips;
    }
}
