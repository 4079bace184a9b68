namespace Vox.Grains.Campaigns;

/// <summary>The dialer of a host with no outbound path (no gateway): nothing is placed, so contacts wait.</summary>
public sealed class UnavailableCampaignDialer : ICampaignDialer
{
    /// <inheritdoc />
    public Task<CampaignDialResult> DialAsync(CampaignDial dial, CancellationToken cancellationToken) =>
        Task.FromResult(new CampaignDialResult(null, "No outbound path is configured on this host."));
}
