using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Vox.Dashboard.Authentication;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Tenants;

namespace Vox.Dashboard.Api;

/// <summary><c>/dashboard/api/bots</c>: the tenant's bots, one bot, and edits (a new version each time).</summary>
internal static class BotsApi
{
    /// <summary>Maps the bot endpoints under <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapBotsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/bots", ListAsync);
        api.MapGet("/bots/{id}", GetAsync);
        api.MapPut("/bots/{id}", UpdateAsync).AddEndpointFilter<AntiforgeryFilter>();
        return api;
    }

    /// <summary>The operator's bots, newest first; an admin sees every tenant's (up to 100 each) unless naming one tenant.</summary>
    public static async Task<Ok<Page<BotRecord>>> ListAsync(
        ClaimsPrincipal principal, IBotCatalog bots, ITenantDirectory tenants, [FromQuery] string? tenantId, [FromQuery] string? cursor, CancellationToken cancellationToken)
    {
        var user = DashboardUser.Of(principal);
        if (!user.IsAdmin || !string.IsNullOrWhiteSpace(tenantId))
        {
            return TypedResults.Ok(await bots.ListAsync(Tenant(user, tenantId), 100, string.IsNullOrEmpty(cursor) ? null : cursor, cancellationToken).ConfigureAwait(false));
        }

        var all = new List<BotRecord>();
        foreach (var tenant in await tenants.ListTenantsAsync(cancellationToken).ConfigureAwait(false))
        {
            all.AddRange((await bots.ListAsync(tenant.Id, 100, null, cancellationToken).ConfigureAwait(false)).Items);
        }

        return TypedResults.Ok(new Page<BotRecord>(all.OrderByDescending(b => b.CreatedAt).ToList(), null));
    }

    /// <summary>One of the operator's bots; 404 for another tenant's.</summary>
    public static async Task<Results<Ok<BotRecord>, NotFound>> GetAsync(ClaimsPrincipal principal, IGrainFactory grains, string id, [FromQuery] string? tenantId, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await grains.GetGrain<IBotGrain>(id).GetAsync(Tenant(DashboardUser.Of(principal), tenantId), cancellationToken).ConfigureAwait(false));
        }
        catch (NotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    /// <summary>Replaces the bot's definition if it is still at <see cref="BotUpdate.ExpectedVersion"/>; 409 when someone saved in between.</summary>
    public static async Task<Results<Ok<BotRecord>, NotFound, ProblemHttpResult>> UpdateAsync(
        ClaimsPrincipal principal, IGrainFactory grains, string id, BotUpdate update, [FromQuery] string? tenantId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(update.Definition.Name) || update.Definition.Name.Length > 200)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid bot", detail: "The name must be 1 to 200 characters.");
        }

        try
        {
            return TypedResults.Ok(await grains.GetGrain<IBotGrain>(id)
                .UpdateAsync(Tenant(DashboardUser.Of(principal), tenantId), update.Definition, update.ExpectedVersion, cancellationToken).ConfigureAwait(false));
        }
        catch (NotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (ConflictException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Bot changed", detail: ex.Message);
        }
    }

    private static string Tenant(DashboardUser user, string? requested) =>
        user.IsAdmin && !string.IsNullOrWhiteSpace(requested) ? requested : user.TenantId;

    /// <summary>A bot edit: the whole new definition and the version it was made from.</summary>
    public sealed record BotUpdate(BotDefinition Definition, int? ExpectedVersion);
}
