using System.Text.Json.Serialization;

namespace Vox.FixtureGenerator;

/// <summary>A clip of pink noise alone, at an RMS level in dBFS.</summary>
internal sealed record NoiseSpec(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("duration_ms")] int DurationMs,
    [property: JsonPropertyName("level_dbfs")] double LevelDbfs);
