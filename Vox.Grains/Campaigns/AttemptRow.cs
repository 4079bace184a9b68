namespace Vox.Grains.Campaigns;

/// <summary>A <c>campaign_attempts</c> row as Dapper reads it.</summary>
internal sealed class AttemptRow
{
    public string CampaignId { get; set; } = "";
    public string ContactId { get; set; } = "";
    public long AttemptNo { get; set; }
    public string TenantId { get; set; } = "";
    public long Epoch { get; set; }
    public string Holder { get; set; } = "";
    public string? CallId { get; set; }
    public long LaunchedAt { get; set; }
    public long ClaimedAt { get; set; }
    public string? Outcome { get; set; }
    public long? EndedAt { get; set; }
}
