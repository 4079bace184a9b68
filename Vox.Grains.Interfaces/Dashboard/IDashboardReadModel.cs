using Vox.Grains.Calls;
using Vox.Grains.Webhooks;

namespace Vox.Grains.Dashboard;

/// <summary>
/// Read-only queries behind the dashboard that no grain answers: calls across tenants for cluster admins, per-minute call
/// volume, per-call metrics over a window, a call's webhook deliveries, and tables other features may add (campaigns).
/// A null tenant id means every tenant and is only passed for a cluster admin.
/// </summary>
public interface IDashboardReadModel
{
    /// <summary>Calls matching <paramref name="query"/>, newest first, by keyset paging.</summary>
    Task<Page<CallRecord>> ListCallsAsync(DashboardCallQuery query, CancellationToken cancellationToken);

    /// <summary>Calls created per minute since <paramref name="since"/>, by direction; minutes without calls are left out.</summary>
    Task<IReadOnlyList<CallVolumeBucket>> CallsPerMinuteAsync(string? tenantId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The metrics of up to <paramref name="limit"/> calls that ended since <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<CallMetricsSample>> EndedCallMetricsAsync(string? tenantId, DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>Deliveries of the webhook events about one of the tenant's calls, oldest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> CallDeliveriesAsync(string tenantId, string callId, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> rows of <paramref name="table"/> (<c>campaigns</c> or <c>campaign_leases</c>), scoped to
    /// the tenant by its <c>tenant_id</c> column (no rows for a tenant when it has none); null when the store has no such table yet.
    /// </summary>
    Task<StoreTable?> ReadTableAsync(string table, string? tenantId, int limit, CancellationToken cancellationToken);
}
