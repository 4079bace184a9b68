namespace Vox.Grains.Campaigns;

/// <summary>The call placed (its id) or null when none was (no capacity, no SIP), with why.</summary>
public sealed record CampaignDialResult(string? CallId, string? Detail);
