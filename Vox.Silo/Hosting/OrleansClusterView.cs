using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Vox.Grains.Cluster;

namespace Vox.Silo.Hosting;

/// <summary>Orleans membership for the fleet views, read through the management grain (the membership table, dead silos included).</summary>
internal sealed class OrleansClusterView(
    Orleans.IGrainFactory grains,
    ILocalSiloDetails local,
    IOptions<OrleansOptions> options,
    string clustering) : IOrleansClusterView
{
    /// <inheritdoc />
    public OrleansClusterInfo? Cluster => new(options.Value.ClusterId, options.Value.ServiceId, clustering, local.SiloAddress.Endpoint.ToString(),
        local.Name, options.Value.Dashboard ? OrleansHostingExtensions.DashboardPath : null);

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrleansSiloInfo>> ListSilosAsync(CancellationToken cancellationToken)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken).ConfigureAwait(false);
        return hosts
            .Select(h => new OrleansSiloInfo($"{h.SiloAddress.Endpoint}@{h.SiloAddress.Generation}", h.SiloName, h.HostName, h.Status.ToString(),
                h.StartTime == default ? null : new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)), h.SiloAddress.Equals(local.SiloAddress)))
            .OrderBy(s => s.Status == "Active" ? 0 : 1).ThenBy(s => s.Address, StringComparer.Ordinal)
            .ToList();
    }
}
