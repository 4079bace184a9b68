namespace Vox.Grains.Campaigns;

/// <summary>Contacts per state, attempts so far and the estimated time left at the campaign's pace.</summary>
public sealed record CampaignProgress(string CampaignId, CampaignStatus Status, IReadOnlyDictionary<string, int> Contacts, int Attempts, int Active, TimeSpan? EstimatedRemaining);
