namespace Vox.Grains.Campaigns;

/// <summary>What a campaign dials with and how: bot, trunk, caller id, pacing, retries, calling windows (none means any time) and dates.</summary>
public sealed record CampaignSpec(
    string Name,
    string BotId,
    string? Trunk,
    string? CallerId,
    int CallsPerMinute,
    int MaxConcurrent,
    RetryPolicy Retry,
    IReadOnlyList<CallingWindow> CallingWindows,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt);
