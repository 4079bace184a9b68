namespace Vox.Grains.Campaigns;

/// <summary>The campaign grains and a tenant's campaign-wide lists: campaigns and the do-not-call list.</summary>
public interface ICampaignDirectory
{
    /// <summary>The grain of campaign <paramref name="campaignId"/>.</summary>
    ICampaignGrain GetCampaign(string campaignId);

    /// <summary>The tenant's campaigns, newest first.</summary>
    Task<IReadOnlyList<CampaignRecord>> ListAsync(string tenantId, int limit, CancellationToken cancellationToken);

    /// <summary>Adds numbers to the tenant's do-not-call list (present ones are kept); returns how many were new.</summary>
    Task<int> AddDoNotCallAsync(string tenantId, IReadOnlyList<string> phones, CancellationToken cancellationToken);

    /// <summary>Removes a number from the list; false if it was not on it.</summary>
    Task<bool> RemoveDoNotCallAsync(string tenantId, string phone, CancellationToken cancellationToken);

    /// <summary>The tenant's do-not-call numbers, sorted.</summary>
    Task<IReadOnlyList<string>> ListDoNotCallAsync(string tenantId, CancellationToken cancellationToken);
}
