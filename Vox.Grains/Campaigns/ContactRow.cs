using System.Text.Json;

namespace Vox.Grains.Campaigns;

/// <summary>A <c>campaign_contacts</c> row as Dapper reads it.</summary>
internal sealed class ContactRow
{
    public string CampaignId { get; set; } = "";
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public long Seq { get; set; }
    public string Phone { get; set; } = "";
    public string? Name { get; set; }
    public string TimeZone { get; set; } = "";
    public string Variables { get; set; } = "{}";
    public string State { get; set; } = "";
    public long Attempts { get; set; }
    public long LastAttemptNo { get; set; }
    public long NextAttemptAt { get; set; }
    public string? LastOutcome { get; set; }

    public Dictionary<string, string> ParsedVariables() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(Variables) ?? new Dictionary<string, string>(StringComparer.Ordinal);

    public CampaignContact ToContact() =>
        new(Id, Phone, Name, TimeZone, ParsedVariables(), State, (int)Attempts, Store.DbTime.ToTime(NextAttemptAt), LastOutcome);
}
