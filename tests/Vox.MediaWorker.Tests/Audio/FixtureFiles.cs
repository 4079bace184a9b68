using System.Text.Json;
using Vox.Testing;

namespace Vox.MediaWorker.Tests.Audio;

/// <summary>Locates the generated audio fixtures (<see cref="RepoPaths.AudioFixtures"/>) and reads their manifest.</summary>
internal static class FixtureFiles
{
    /// <summary>Absolute path of the audio fixture folder; throws, naming the command that makes them, when they are missing.</summary>
    public static string AudioDirectory => RepoPaths.AudioFixtures;

    /// <summary>One row per WAV listed in manifest.json: file name, the clip's total length, and the rate its key names.</summary>
    public static IReadOnlyList<(string File, int TotalMs, int SampleRate)> ManifestFiles() => ReadManifest();

    private static List<(string File, int TotalMs, int SampleRate)> ReadManifest()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(AudioDirectory, "manifest.json")));
        var rows = new List<(string, int, int)>();
        foreach (JsonElement clip in manifest.RootElement.EnumerateArray())
        {
            int totalMs = clip.GetProperty("total_ms").GetInt32();
            foreach (JsonProperty file in clip.GetProperty("files").EnumerateObject())
            {
                int sampleRate = file.Name.EndsWith("_16k", StringComparison.Ordinal) ? 16000
                    : file.Name.EndsWith("_8k", StringComparison.Ordinal) ? 8000
                    : throw new InvalidDataException($"manifest key '{file.Name}' does not name a sample rate.");
                rows.Add((file.Value.GetString()!, totalMs, sampleRate));
            }
        }

        return rows;
    }
}
