using System.Text.Json;

namespace Vox.Grains.Dashboard;

/// <summary>One ended call's stored metrics (per-turn latencies and provider usage, as the worker reported them).</summary>
public sealed record CallMetricsSample(string CallId, string TenantId, string BotId, DateTimeOffset EndedAt, JsonElement Metrics);
