using Vox.Grains.Reminders;

namespace Vox.Grains.Capacity;

/// <summary>The <c>capacity</c> reminders: each pool's <c>reap</c> reminder removes lapsed workers and reservations.</summary>
public sealed class CapacityReaper(IGrainFactory grains) : IReminderHandler
{
    /// <summary>Grain type of capacity reminders.</summary>
    public const string Type = "capacity";

    /// <summary>Name of the reaper reminder.</summary>
    public const string ReapReminder = "reap";

    /// <inheritdoc />
    public string GrainType => Type;

    /// <inheritdoc />
    public Task ReceiveReminderAsync(string grainKey, string name, CancellationToken cancellationToken) =>
        name == ReapReminder ? grains.GetGrain<ICapacityGrain>(grainKey).ReapAsync(cancellationToken) : Task.CompletedTask;
}
