using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Contracts;
using Vox.Grains;
using Vox.Grains.Capacity;
using Vox.Grains.Cluster;

namespace Vox.Gateway.Api;

/// <summary><c>/v1/fleet</c>: the default pool's capacity, and Orleans membership for admins. Other tenants' calls on a worker stay hidden.</summary>
internal static class FleetApi
{
    /// <summary>Maps the fleet endpoint under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder v1)
    {
        v1.MapGet("/fleet", GetFleetAsync).WithTags("Fleet").WithName("GetFleet")
            .WithSummary("Capacity of the default worker pool: idle, reserved and busy slots, workers not ready (and why), and each worker; for admins, the silos of Orleans membership");
        return v1;
    }

    /// <summary>The snapshot, with each worker's call shown only to its tenant or an admin.</summary>
    public static async Task<Ok<FleetResponse>> GetFleetAsync(
        ClaimsPrincipal user, IGrainFactory grains, IOrleansClusterView orleans, IOptions<FleetApiOptions> options, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var snapshot = await grains.GetGrain<ICapacityGrain>(options.Value.DefaultPool).GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var workers = snapshot.Workers.Select(w =>
        {
            var visible = caller.IsAdmin || (w.TenantId is not null && w.TenantId == caller.TenantId);
            return new FleetWorkerResponse(w.WorkerId, w.Host, w.Version, w.State,
                visible ? w.CallId : null, visible ? w.TenantId : null, visible ? w.Direction : null,
                caller.IsAdmin ? w.MediaUrl : null, caller.IsAdmin ? w.RtpAddress : null,
                w.RegisteredAt, w.HeartbeatAt, w.ExpiresAt, w.Ready, w.NotReadyReason, w.NotReadyFix);
        }).ToList();
        // Silo addresses are the cluster's inside: admins only, as worker media URLs are.
        var cluster = caller.IsAdmin ? orleans.Cluster : null;
        var silos = cluster is null ? null : (await orleans.ListSilosAsync(cancellationToken).ConfigureAwait(false))
            .Select(s => new FleetSiloResponse(s.Address, s.SiloName, s.HostName, s.Status, s.StartedAt, s.IsThisSilo)).ToList();
        return TypedResults.Ok(new FleetResponse(snapshot.Pool, snapshot.TakenAt, snapshot.Total, snapshot.Idle, snapshot.Reserved, snapshot.Busy, workers,
            snapshot.NotReady, cluster?.ClusterId, silos));
    }
}
