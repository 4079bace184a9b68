using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Vox.Dashboard.Authentication;
using Vox.Dashboard.Stats;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Dashboard;

namespace Vox.Dashboard.Api;

/// <summary><c>/dashboard/api/stats</c>: latency percentiles per provider and voice-to-voice, and cost per provider, over a window.</summary>
internal static class StatsApi
{
    private const int MaxCalls = 5000;

    private static readonly Dictionary<string, TimeSpan> Windows = new(StringComparer.Ordinal)
    {
        ["15m"] = TimeSpan.FromMinutes(15),
        ["1h"] = TimeSpan.FromHours(1),
        ["24h"] = TimeSpan.FromDays(1),
        ["7d"] = TimeSpan.FromDays(7),
    };

    /// <summary>Maps the statistics endpoint under <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", GetAsync);
        return api;
    }

    /// <summary>Statistics of the calls (at most the newest 5000) that ended in the window <c>15m</c>, <c>1h</c>, <c>24h</c> or <c>7d</c>.</summary>
    public static async Task<Results<Ok<StatsView>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal principal, IDashboardReadModel reads, IGrainFactory grains, IOptions<DashboardOptions> options, TimeProvider time,
        [FromQuery] string? window, CancellationToken cancellationToken)
    {
        window ??= "1h";
        if (!Windows.TryGetValue(window, out var span))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid window", detail: "window must be 15m, 1h, 24h or 7d.");
        }

        var user = DashboardUser.Of(principal);
        var samples = await reads.EndedCallMetricsAsync(user.Scope, time.GetUtcNow() - span, MaxCalls, cancellationToken).ConfigureAwait(false);
        var bots = new Dictionary<(string, string), BotDefinition?>();
        foreach (var key in samples.Select(s => (s.TenantId, s.BotId)).Distinct())
        {
            try
            {
                bots[key] = (await grains.GetGrain<IBotGrain>(key.BotId).GetAsync(key.TenantId, cancellationToken).ConfigureAwait(false)).Definition;
            }
            catch (NotFoundException)
            {
                bots[key] = null;
            }
        }

        var latency = CallStatistics.Latency(samples.Select(s => (s.Metrics, bots[(s.TenantId, s.BotId)])));
        var cost = CallStatistics.Cost(samples.Select(s => s.Metrics), options.Value.Prices);
        return TypedResults.Ok(new StatsView(window, samples.Count, samples.Count == MaxCalls, latency, cost));
    }

    /// <summary>The latency and cost page's data.</summary>
    public sealed record StatsView(string Window, int Calls, bool Truncated, IReadOnlyList<Percentiles> Latency, IReadOnlyList<ProviderCost> Cost);
}
