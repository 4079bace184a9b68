using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vox.Dashboard.Authentication;
using Vox.Grains.Dashboard;

namespace Vox.Dashboard.Api;

/// <summary>
/// <c>/dashboard/api/campaigns</c>: the campaigns table as stored, when the campaign feature has created it; the dashboard
/// only reads it (progress, pacing, outcomes and pause/resume belong to the campaign backend when it lands).
/// </summary>
internal static class CampaignsApi
{
    /// <summary>Maps the campaigns endpoint under <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapCampaignsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/campaigns", GetAsync);
        return api;
    }

    /// <summary>The tenant's campaigns (every tenant's for admins), or <c>exists: false</c> when the store has no campaigns table.</summary>
    public static async Task<Ok<CampaignsView>> GetAsync(ClaimsPrincipal principal, IDashboardReadModel reads, CancellationToken cancellationToken)
    {
        var table = await reads.ReadTableAsync("campaigns", DashboardUser.Of(principal).Scope, 500, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new CampaignsView(table is not null, table));
    }

    /// <summary>Whether campaigns exist in this store yet, and their rows.</summary>
    public sealed record CampaignsView(bool Exists, StoreTable? Campaigns);
}
