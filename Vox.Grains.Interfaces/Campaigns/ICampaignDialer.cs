namespace Vox.Grains.Campaigns;

/// <summary>The outbound path a campaign launches through (SIP on a gateway, a fake in tests).</summary>
public interface ICampaignDialer
{
    /// <summary>
    /// Starts one outbound call under <see cref="CampaignDial.CallId"/> and returns at once with that id (null when it was
    /// not placed); the call's end reason reports the outcome.
    /// </summary>
    Task<CampaignDialResult> DialAsync(CampaignDial dial, CancellationToken cancellationToken);
}
