using System.Text.Json;
using Vox.Grains.Bots;

namespace Vox.Dashboard.Stats;

/// <summary>
/// Latency percentiles and cost from the metrics workers store on each call: per stage and provider (the bot's STT, LLM and
/// TTS providers), voice-to-voice, and usage priced by <see cref="DashboardOptions.Prices"/>.
/// </summary>
public static class CallStatistics
{
    /// <summary>Percentiles per stage and provider, each call with the bot that took it (null when the bot is gone).</summary>
    public static IReadOnlyList<Percentiles> Latency(IEnumerable<(JsonElement Metrics, BotDefinition? Bot)> calls)
    {
        var series = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var (metrics, bot) in calls)
        {
            if (!metrics.TryGetProperty("turns", out var turns) || turns.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var turn in turns.EnumerateArray())
            {
                Add(series, "end of turn", turn, "endOfUtteranceDelayMs");
                Add(series, $"STT {bot?.Stt.Provider ?? "unknown"}", turn, "sttFinalDelayMs");
                Add(series, $"LLM {bot?.Llm.Provider ?? "unknown"}", turn, "llmTimeToFirstTokenMs");
                Add(series, $"TTS {bot?.Tts.Provider ?? "unknown"}", turn, "ttsTimeToFirstByteMs");
                Add(series, "voice-to-voice", turn, "voiceToVoiceMs");
            }
        }

        return series.Select(s => Percentiles.Of(s.Key, s.Value)).OrderBy(p => Order(p.Name)).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Usage summed per provider (the first segment of a usage key) and priced.</summary>
    public static IReadOnlyList<ProviderCost> Cost(IEnumerable<JsonElement> metrics, IReadOnlyDictionary<string, decimal> prices)
    {
        var usage = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            if (!m.TryGetProperty("usage", out var u) || u.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var item in u.EnumerateObject())
            {
                if (item.Value.ValueKind == JsonValueKind.Number)
                {
                    usage[item.Name] = usage.GetValueOrDefault(item.Name) + item.Value.GetDouble();
                }
            }
        }

        return usage.GroupBy(u => u.Key.Split('.')[0], StringComparer.Ordinal)
            .Select(g =>
            {
                var priced = g.Where(u => prices.ContainsKey(u.Key)).ToList();
                decimal? cost = priced.Count == 0 ? null : Math.Round(priced.Sum(u => (decimal)u.Value * prices[u.Key]), 4);
                return new ProviderCost(g.Key, g.ToDictionary(u => u.Key, u => Math.Round(u.Value, 3), StringComparer.Ordinal), cost);
            })
            .ToList();
    }

    private static int Order(string name) => name switch
    {
        "end of turn" => 0,
        _ when name.StartsWith("STT", StringComparison.Ordinal) => 1,
        _ when name.StartsWith("LLM", StringComparison.Ordinal) => 2,
        _ when name.StartsWith("TTS", StringComparison.Ordinal) => 3,
        _ => 4,
    };

    private static void Add(Dictionary<string, List<double>> series, string name, JsonElement turn, string property)
    {
        if (turn.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number)
        {
            if (!series.TryGetValue(name, out var list))
            {
                series[name] = list = [];
            }

            list.Add(value.GetDouble());
        }
    }
}
