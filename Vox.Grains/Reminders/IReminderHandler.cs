namespace Vox.Grains.Reminders;

/// <summary>Receives the reminders of one grain type (like Orleans' <c>IRemindable</c>).</summary>
public interface IReminderHandler
{
    /// <summary>The grain type whose reminders this handler fires.</summary>
    string GrainType { get; }

    /// <summary>Fires one reminder; the token is cancelled before the silo's claim lapses.</summary>
    Task ReceiveReminderAsync(string grainKey, string name, CancellationToken cancellationToken);
}
