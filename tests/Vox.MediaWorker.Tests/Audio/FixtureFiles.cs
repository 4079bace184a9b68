using System.Text.Json;

namespace Vox.MediaWorker.Tests.Audio;

/// <summary>Locates the shared audio fixtures (<c>../shared/fixtures/audio</c> next to the repository) and their manifest.</summary>
internal static class FixtureFiles
{
    /// <summary>Absolute path of the audio fixture folder.</summary>
    public static string AudioDirectory { get; } = FindAudioDirectory();

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

    private static string FindAudioDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Vox.sln")))
            {
                string audio = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "fixtures", "audio"));
                return Directory.Exists(audio)
                    ? audio
                    : throw new DirectoryNotFoundException($"Audio fixtures are expected at {audio} (next to the repository root {directory.FullName}).");
            }
        }

        throw new DirectoryNotFoundException($"No folder containing Vox.sln above {AppContext.BaseDirectory}; cannot locate the audio fixtures.");
    }
}
