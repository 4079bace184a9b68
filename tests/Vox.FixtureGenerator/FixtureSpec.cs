using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vox.FixtureGenerator;

/// <summary>The committed description of the audio fixtures (<c>tests/fixtures/audio.json</c>): what is said, by which voice, and how the clips are framed and mixed.</summary>
internal sealed record FixtureSpec(
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("sample_rates")] IReadOnlyList<int> SampleRates,
    [property: JsonPropertyName("lead_silence_ms")] int LeadSilenceMs,
    [property: JsonPropertyName("tail_silence_ms")] int TailSilenceMs,
    [property: JsonPropertyName("snr_db")] IReadOnlyList<int> SnrDb,
    [property: JsonPropertyName("utterances")] IReadOnlyList<UtteranceSpec> Utterances,
    [property: JsonPropertyName("noise")] IReadOnlyList<NoiseSpec> Noise,
    [property: JsonPropertyName("silence")] IReadOnlyList<SilenceSpec> Silence)
{
    public static FixtureSpec Load(string path)
    {
        FixtureSpec spec = JsonSerializer.Deserialize<FixtureSpec>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} is empty.");
        if (spec.Utterances is null || spec.Noise is null || spec.Silence is null || spec.SampleRates is null || spec.SnrDb is null)
        {
            throw new InvalidDataException($"{path} lacks one of seed, sample_rates, lead_silence_ms, tail_silence_ms, snr_db, utterances, noise, silence.");
        }

        foreach (int rate in spec.SampleRates)
        {
            if (rate % 1000 != 0)
            {
                throw new InvalidDataException($"{path}: sample rate {rate} is not a whole number of kHz, which the file names need.");
            }
        }

        return spec;
    }
}
