using System.Text.Json;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Tests.Audio;

namespace Vox.MediaWorker.Tests.Providers;

/// <summary>The spoken clips of the generated fixtures' <c>manifest.json</c> (espeak-ng voices, clean and with pink noise at 20 and 10 dB SNR).</summary>
internal static class SpeechFixtures
{
    /// <summary>Every clip, in manifest order.</summary>
    public static IReadOnlyList<SpeechClip> Clips { get; } = Load();

    /// <summary>Mono samples of <paramref name="clip"/>.</summary>
    public static short[] ReadSamples(SpeechClip clip)
    {
        WavAudio wav = WavFile.Read(File.ReadAllBytes(Path.Combine(FixtureFiles.AudioDirectory, clip.File)));
        Assert.Equal(1, wav.Channels);
        Assert.Equal(clip.SampleRate, wav.SampleRate);
        return wav.Samples.ToArray();
    }

    private static List<SpeechClip> Load()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureFiles.AudioDirectory, "manifest.json")));
        var clips = new List<SpeechClip>();
        foreach (JsonElement entry in manifest.RootElement.EnumerateArray())
        {
            string id = entry.GetProperty("id").GetString()!;
            string text = entry.GetProperty("text").GetString()!;
            var start = TimeSpan.FromMilliseconds(entry.GetProperty("speech_start_ms").GetInt32());
            var end = TimeSpan.FromMilliseconds(entry.GetProperty("speech_end_ms").GetInt32());
            foreach (JsonProperty file in entry.GetProperty("files").EnumerateObject())
            {
                // Keys are "<condition>_<rate>", e.g. clean_16k, snr10_8k.
                int split = file.Name.LastIndexOf('_');
                string condition = file.Name[..split];
                int rate = file.Name[(split + 1)..] switch
                {
                    "16k" => 16000,
                    "8k" => 8000,
                    var other => throw new InvalidDataException($"manifest key '{file.Name}' names no known rate ('{other}')."),
                };
                clips.Add(new SpeechClip(id, condition, rate, file.Value.GetString()!, text, start, end));
            }
        }

        return clips;
    }
}
