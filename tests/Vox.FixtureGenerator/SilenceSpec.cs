using System.Text.Json.Serialization;

namespace Vox.FixtureGenerator;

/// <summary>A clip of digital silence (only the 1 LSB dither every clip gets).</summary>
internal sealed record SilenceSpec(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("duration_ms")] int DurationMs);
