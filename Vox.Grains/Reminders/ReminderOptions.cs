using System.ComponentModel.DataAnnotations;

namespace Vox.Grains.Reminders;

/// <summary>The <c>Reminders</c> section: how often a silo looks for due reminders and how long a claim lasts.</summary>
public sealed class ReminderOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Reminders";

    /// <summary>How often the silo polls for due reminders.</summary>
    [Range(50, 60_000)]
    public int PollIntervalMs { get; set; } = 1_000;

    /// <summary>How long a silo owns a reminder it claimed; a handler is cancelled before this runs out, and if the silo dies another claims it after.</summary>
    [Range(500, 600_000)]
    public int ClaimTtlMs { get; set; } = 30_000;

    /// <summary>Most reminders claimed per poll.</summary>
    [Range(1, 1000)]
    public int MaxPerPoll { get; set; } = 16;

    /// <summary>How long a run's record is kept for the dashboard.</summary>
    [Range(60_000, 604_800_000)]
    public int RunRetentionMs { get; set; } = 3_600_000;
}
