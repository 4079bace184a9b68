using System.Text.Json;

namespace Vox.Grains.Campaigns;

/// <summary>A <c>campaigns</c> row as Dapper reads it.</summary>
internal sealed class CampaignRow
{
    public const string Columns = "id, tenant_id, name, bot_id, trunk, caller_id, calls_per_minute, max_concurrent, retry_policy, calling_windows, " +
        "starts_at, ends_at, status, created_at, updated_at, completed_at, lease_holder, lease_epoch, lease_expires_at";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Name { get; set; } = "";
    public string BotId { get; set; } = "";
    public string? Trunk { get; set; }
    public string? CallerId { get; set; }
    public long CallsPerMinute { get; set; }
    public long MaxConcurrent { get; set; }
    public string RetryPolicy { get; set; } = "";
    public string CallingWindows { get; set; } = "";
    public long? StartsAt { get; set; }
    public long? EndsAt { get; set; }
    public string Status { get; set; } = "";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? CompletedAt { get; set; }
    public string? LeaseHolder { get; set; }
    public long LeaseEpoch { get; set; }
    public long? LeaseExpiresAt { get; set; }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static string StatusName(CampaignStatus status) => status.ToString().ToLowerInvariant();

    public CampaignStatus ParsedStatus => Enum.Parse<CampaignStatus>(Status, ignoreCase: true);

    public CampaignSpec ToSpec() => new(Name, BotId, Trunk, CallerId, (int)CallsPerMinute, (int)MaxConcurrent,
        JsonSerializer.Deserialize<RetryPolicy>(RetryPolicy, Json)!,
        JsonSerializer.Deserialize<List<CallingWindow>>(CallingWindows, Json)!,
        StartsAt is null ? null : Store.DbTime.ToTime(StartsAt.Value),
        EndsAt is null ? null : Store.DbTime.ToTime(EndsAt.Value));

    public CampaignRecord ToRecord() => new(Id, TenantId, ToSpec(), ParsedStatus, Store.DbTime.ToTime(CreatedAt),
        CompletedAt is null ? null : Store.DbTime.ToTime(CompletedAt.Value), LeaseHolder, LeaseEpoch);
}
