namespace Vox.Grains.Campaigns;

/// <summary>One call a campaign asks the outbound path to place; <see cref="Epoch"/> is the launching lease's fencing token.</summary>
public sealed record CampaignDial(
    string TenantId,
    string CampaignId,
    string ContactId,
    int AttemptNo,
    long Epoch,
    string BotId,
    string To,
    string? From,
    string? Trunk,
    IReadOnlyDictionary<string, string> Variables);
