namespace Vox.Grains.Cluster;

/// <summary>A reminder's schedule and who last fired it.</summary>
public sealed record ReminderInfo(
    string GrainType,
    string GrainKey,
    string Name,
    TimeSpan Period,
    DateTimeOffset NextDueAt,
    string? ClaimedBy,
    DateTimeOffset? LastFiredAt,
    string? LastFiredBy,
    long FireCount);
