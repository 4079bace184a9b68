namespace Vox.Grains.Campaigns;

/// <summary>The outbound path a campaign launches through (SIP on a gateway, a fake in tests).</summary>
public interface ICampaignDialer
{
    /// <summary>Starts one outbound call and returns at once with its id; the call's end reason reports the outcome.</summary>
    Task<CampaignDialResult> DialAsync(CampaignDial dial, CancellationToken cancellationToken);
}
