using System.Text.Json.Serialization;

namespace Vox.FixtureGenerator;

/// <summary>One spoken clip: its id (file name stem), the text and the espeak-ng voice that says it.</summary>
internal sealed record UtteranceSpec(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("voice")] string Voice);
