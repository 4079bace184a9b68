using System.Text.Json;
using Vox.Grains.Store;

namespace Vox.Grains.Webhooks;

/// <summary>A row of <c>webhook_endpoints</c>.</summary>
internal sealed class WebhookEndpointRow
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Url { get; set; } = "";
    public string EventTypes { get; set; } = "[]";
    public bool Enabled { get; set; }
    public string? Description { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public static IReadOnlyList<string> ParseEventTypes(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    public static string FormatEventTypes(IEnumerable<string> types) => JsonSerializer.Serialize(types.Distinct(StringComparer.Ordinal).ToList());

    public WebhookEndpoint ToEndpoint() =>
        new(Id, TenantId, Url, ParseEventTypes(EventTypes), Enabled, Description, DbTime.ToTime(CreatedAt), DbTime.ToTime(UpdatedAt));
}
