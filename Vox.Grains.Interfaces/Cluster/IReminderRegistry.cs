namespace Vox.Grains.Cluster;

/// <summary>Durable, at-least-once timers keyed by grain type, grain key and name; fired by one silo at a time.</summary>
public interface IReminderRegistry
{
    /// <summary>Creates a reminder first due <paramref name="dueTime"/> from now (store clock); re-registering with the same period keeps its schedule.</summary>
    Task RegisterOrUpdateAsync(string grainType, string grainKey, string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken);

    /// <summary>Removes a reminder; false if there was none.</summary>
    Task<bool> UnregisterAsync(string grainType, string grainKey, string name, CancellationToken cancellationToken);

    /// <summary>All reminders with their next due time and last runs.</summary>
    Task<IReadOnlyList<ReminderInfo>> ListAsync(CancellationToken cancellationToken);
}
