using System.Text.Json;

namespace Vox.Testing;

/// <summary>The speech fixtures listed in the generated <c>manifest.json</c> of <see cref="RepoPaths.AudioFixtures"/>.</summary>
public sealed record Manifest(string Id, string Text, int SpeechStartMs, int SpeechEndMs, int TotalMs, IReadOnlyDictionary<string, string> Files)
{
    /// <summary>Every clip in the manifest.</summary>
    public static IReadOnlyList<Manifest> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.AudioFixtures, "manifest.json")));
        return doc.RootElement.EnumerateArray().Select(e => new Manifest(
            e.GetProperty("id").GetString()!, e.GetProperty("text").GetString()!,
            e.GetProperty("speech_start_ms").GetInt32(), e.GetProperty("speech_end_ms").GetInt32(), e.GetProperty("total_ms").GetInt32(),
            e.GetProperty("files").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!))).ToList();
    }

    /// <summary>The clean clip at <paramref name="sampleRate"/> as PCM16 samples (16-bit mono WAV with a 44-byte header).</summary>
    public async Task<short[]> ReadAsync(int sampleRate, string condition = "clean")
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.AudioFixtures, Files[$"{condition}_{sampleRate / 1000}k"]));
        var data = FindData(bytes);
        var samples = new short[data.Length / 2];
        Buffer.BlockCopy(bytes, data.Offset, samples, 0, samples.Length * 2);
        return samples;
    }

    private static (int Offset, int Length) FindData(byte[] wav)
    {
        var pos = 12;
        while (pos + 8 <= wav.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(wav, pos, 4);
            var size = BitConverter.ToInt32(wav, pos + 4);
            if (id == "data")
            {
                return (pos + 8, Math.Min(size, wav.Length - pos - 8));
            }

            pos += 8 + size + (size & 1);
        }

        throw new InvalidDataException("WAV without a data chunk.");
    }
}
