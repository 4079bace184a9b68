using Microsoft.Extensions.Options;
using Vox.Grains.Capacity;
using Vox.Grains.Cluster;

namespace Vox.Silo.Hosting;

/// <summary>Makes sure every known pool has its reaper reminder (registering again keeps an existing schedule).</summary>
public sealed class ReaperRegistration(IReminderRegistry reminders, IOptions<CapacityOptions> options)
{
    /// <summary>Registers the reaper reminder of <paramref name="pool"/>.</summary>
    public Task EnsureAsync(string pool, CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromMilliseconds(options.Value.ReaperPeriodMs);
        return reminders.RegisterOrUpdateAsync(CapacityReaper.Type, pool, CapacityReaper.ReapReminder, period, period, cancellationToken);
    }
}
