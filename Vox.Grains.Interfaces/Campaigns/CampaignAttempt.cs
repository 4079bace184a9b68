namespace Vox.Grains.Campaigns;

/// <summary>One dial of one contact: its number, the lease epoch that launched it, its call and outcome.</summary>
public sealed record CampaignAttempt(string ContactId, int AttemptNo, long Epoch, string? CallId, DateTimeOffset LaunchedAt, string? Outcome, DateTimeOffset? EndedAt);
