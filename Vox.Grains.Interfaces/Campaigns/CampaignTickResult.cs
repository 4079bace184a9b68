namespace Vox.Grains.Campaigns;

/// <summary>What one tick did: whether this holder had the lease (and its epoch), calls launched, outcomes applied, and whether the campaign is over.</summary>
public sealed record CampaignTickResult(bool Holder, long Epoch, int Launched, int OutcomesApplied, bool Finished);
