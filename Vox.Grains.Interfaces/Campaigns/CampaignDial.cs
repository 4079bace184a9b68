namespace Vox.Grains.Campaigns;

/// <summary>
/// One call a campaign asks the outbound path to place; <see cref="Epoch"/> is the launching lease's fencing token and
/// <see cref="CallId"/> the call's id, fixed by the attempt when it is claimed (<see cref="CampaignCallIds"/>), so an
/// attempt can only ever become one call.
/// </summary>
public sealed record CampaignDial(
    string CallId,
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
