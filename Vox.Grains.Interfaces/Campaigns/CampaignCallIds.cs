using System.Security.Cryptography;
using System.Text;

namespace Vox.Grains.Campaigns;

/// <summary>
/// The call id of a campaign attempt, derived from (campaign, contact, attempt number): the attempt row carries it from
/// the moment it is claimed, a second dial of the same attempt finds the call already there, and a silo that died
/// between placing the call and recording it leaves a call the next holder can still find.
/// </summary>
public static class CampaignCallIds
{
    /// <summary>The id of attempt <paramref name="attemptNo"/> of <paramref name="contactId"/> in <paramref name="campaignId"/>.</summary>
    public static string For(string campaignId, string contactId, int attemptNo)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{campaignId}\n{contactId}\n{attemptNo}"));
        return "call_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
