namespace Vox.Grains.Campaigns;

/// <summary>A campaign as stored, with its lease.</summary>
public sealed record CampaignRecord(
    string Id,
    string TenantId,
    CampaignSpec Spec,
    CampaignStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? LeaseHolder,
    long LeaseEpoch);
