using System.Globalization;
using Vox.Grains.Campaigns;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>
/// Launches campaign calls through the same outbound path as <c>POST /v1/calls</c> (<see cref="SipUserAgent.PlaceCallAsync"/>),
/// with the campaign, contact, attempt and lease epoch (the fencing token) in the call's metadata and the contact's
/// variables as <c>var.{name}</c>.
/// </summary>
internal sealed class SipCampaignDialer(SipUserAgent sip) : ICampaignDialer
{
    /// <inheritdoc />
    public async Task<CampaignDialResult> DialAsync(CampaignDial dial, CancellationToken cancellationToken)
    {
        if (!sip.IsRunning)
        {
            return new CampaignDialResult(null, "SIP is not running on this gateway.");
        }

        var metadata = dial.Variables.ToDictionary(v => PromptTemplate.VariablePrefix + v.Key, v => v.Value, StringComparer.Ordinal);
        metadata["campaign_id"] = dial.CampaignId;
        metadata["campaign_contact_id"] = dial.ContactId;
        metadata["campaign_attempt"] = dial.AttemptNo.ToString(CultureInfo.InvariantCulture);
        metadata["campaign_epoch"] = dial.Epoch.ToString(CultureInfo.InvariantCulture);
        OutboundCallResult placed;
        try
        {
            placed = await sip.PlaceCallAsync(dial.TenantId, new OutboundCallRequest(dial.BotId, dial.To, dial.From, dial.Trunk, metadata, dial.CallId), cancellationToken).ConfigureAwait(false);
        }
        catch (Vox.Grains.VoxException ex) when (ex.Code is "unknown_trunk" or "secrets_key_unknown" or "secret_corrupt")
        {
            // The trunk was deleted after the campaign was made, or its password cannot be opened on this silo: the
            // attempt fails with the reason rather than the campaign tick.
            return new CampaignDialResult(null, ex.Message);
        }

        return placed switch
        {
            { AlreadyPlaced: true } => new CampaignDialResult(placed.CallId, "The attempt's call was placed before; it is not dialled again."),
            { Reservation.Granted: true } => new CampaignDialResult(placed.CallId, null),
            _ => new CampaignDialResult(null, placed.Reservation?.Message),
        };
    }
}
