using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Vox.Dashboard.Authentication;
using Vox.Dashboard.Fleet;
using Vox.Grains;
using Vox.Grains.Capacity;
using Vox.Grains.Cluster;
using Vox.Grains.Dashboard;

namespace Vox.Dashboard.Api;

/// <summary><c>/dashboard/api/fleet</c>: silos (Vox's membership table and Orleans membership), workers per host, capacity over time, call volume, reminders and campaign leases (cluster admins).</summary>
internal static class FleetApi
{
    // Every silo runs the same composition; a silo with Fleet:LocalWorkers also supervises workers on its host.
    private static readonly string[] SiloRoles = ["gateway", "grains", "reminders", "dashboard"];

    /// <summary>Maps the fleet endpoint under <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapFleetApi(this RouteGroupBuilder api)
    {
        api.MapGet("/fleet", GetFleetAsync).RequireAuthorization(DashboardAuth.AdminPolicy);
        return api;
    }

    /// <summary>The fleet as the store sees it now, with this silo's process figures.</summary>
    public static async Task<Ok<FleetView>> GetFleetAsync(
        HttpRequest request,
        IGrainFactory grains,
        IMembershipService membership,
        IOrleansClusterView orleans,
        IReminderRegistry reminders,
        IDashboardReadModel reads,
        FleetHistory history,
        ProcessStats stats,
        IOptions<DashboardPoolOptions> pool,
        CancellationToken cancellationToken)
    {
        var snapshot = await grains.GetGrain<ICapacityGrain>(pool.Value.DefaultPool).GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var now = snapshot.TakenAt;
        var self = $"{request.Scheme}://{request.Host}";
        var (cpu, memory) = stats.Read();
        var silos = (await membership.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(s =>
            {
                var local = string.Equals(s.HttpUrl.TrimEnd('/'), self, StringComparison.OrdinalIgnoreCase);
                return new SiloView(s.SiloId, s.Host, s.HttpUrl, s.Version, s.Status, s.StartedAt, (long)(now - s.HeartbeatAt).TotalMilliseconds,
                    SiloRoles, local, local ? cpu : null, local ? memory : null);
            })
            .OrderBy(s => s.Status == "active" ? 0 : 1).ThenBy(s => s.SiloId, StringComparer.Ordinal).ToList();
        var workers = snapshot.Workers.Select(w => new WorkerView(w.WorkerId, w.Host, w.Version, SlotState(w, now), w.CallId, w.TenantId,
            w.Direction, (long)(now - w.HeartbeatAt).TotalMilliseconds, w.RegisteredAt, w.Ready, w.NotReadyReason, w.NotReadyFix)).ToList();
        var hosts = workers.GroupBy(w => w.Host, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new HostView(g.Key, g.Count(w => w.State == "free"), g.Count(w => w.State == "reserved"), g.Count(w => w.State == "busy"),
                g.Count(w => w.State == "lost"), g.Count(w => w.State == "not_ready"), g.OrderBy(w => w.WorkerId, StringComparer.Ordinal).ToList()))
            .ToList();
        var volume = await reads.CallsPerMinuteAsync(null, now.AddHours(-1), cancellationToken).ConfigureAwait(false);
        var timers = (await reminders.ListAsync(cancellationToken).ConfigureAwait(false)).OrderBy(r => r.NextDueAt).ToList();
        var leases = await reads.ReadTableAsync("campaign_leases", null, 200, cancellationToken).ConfigureAwait(false);
        var orleansSilos = orleans.Cluster is null ? [] : await orleans.ListSilosAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new FleetView(now, snapshot.Pool, snapshot.Total, snapshot.Idle, snapshot.Reserved, snapshot.Busy,
            workers.Count(w => w.State == "lost"), workers.Count(w => w.State == "not_ready"), silos, hosts, history.Samples, volume, timers, leases, orleans.Cluster, orleansSilos));
    }

    // Lost: its TTL lapsed but the reaper has not removed it yet. Not ready: it heartbeats but cannot serve (its offline
    // voice is missing), so it is never reserved. Draining is not reported by workers today.
    private static string SlotState(WorkerSlot worker, DateTimeOffset now) => worker.ExpiresAt < now
        ? "lost"
        : !worker.Ready
        ? "not_ready"
        : worker.State switch
        {
            WorkerSlotState.Idle => "free",
            WorkerSlotState.Reserved => "reserved",
            WorkerSlotState.Busy => "busy",
            _ => "lost",
        };

    /// <summary>The fleet page's data.</summary>
    public sealed record FleetView(
        DateTimeOffset TakenAt, string Pool, int Total, int Free, int Reserved, int Busy, int Lost, int NotReady,
        IReadOnlyList<SiloView> Silos, IReadOnlyList<HostView> Hosts, IReadOnlyList<FleetSample> History,
        IReadOnlyList<CallVolumeBucket> CallsPerMinute, IReadOnlyList<ReminderInfo> Reminders, StoreTable? CampaignLeases,
        OrleansClusterInfo? Orleans, IReadOnlyList<OrleansSiloInfo> OrleansSilos);

    /// <summary>A silo's membership row; CPU and memory only for the silo that answers.</summary>
    public sealed record SiloView(string SiloId, string Host, string HttpUrl, string? Version, string Status, DateTimeOffset StartedAt,
        long HeartbeatAgeMs, IReadOnlyList<string> Roles, bool IsThisSilo, double? CpuPercent, double? MemoryMb);

    /// <summary>The worker slots of one host.</summary>
    public sealed record HostView(string Host, int Free, int Reserved, int Busy, int Lost, int NotReady, IReadOnlyList<WorkerView> Workers);

    /// <summary>One worker slot; one that is not <paramref name="Ready"/> says why and how to fix it.</summary>
    public sealed record WorkerView(string WorkerId, string Host, string? Version, string State, string? CallId, string? TenantId,
        CallDirection? Direction, long HeartbeatAgeMs, DateTimeOffset RegisteredAt, bool Ready, string? NotReadyReason, string? NotReadyFix);
}
