namespace Vox.Grains.Reminders;

/// <summary>Receives the reminders of one grain type (like Orleans' <c>IRemindable</c>).</summary>
public interface IReminderHandler
{
    /// <summary>The grain type whose reminders this handler fires.</summary>
    string GrainType { get; }

    /// <summary>
    /// How long a silo's claim on one of these reminders lasts, when it should not be <c>Reminders:ClaimTtlMs</c>: it bounds
    /// both how long one firing may run and how long a silo that died mid-firing holds the reminder up. Null: the default.
    /// </summary>
    TimeSpan? ClaimTtl => null;

    /// <summary>Fires one reminder; the token is cancelled before the silo's claim lapses.</summary>
    Task ReceiveReminderAsync(string grainKey, string name, CancellationToken cancellationToken);
}
