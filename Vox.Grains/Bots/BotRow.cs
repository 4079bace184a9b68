using System.Text.Json;
using Vox.Grains.Store;

namespace Vox.Grains.Bots;

/// <summary>A row of the <c>bots</c> table.</summary>
internal sealed class BotRow
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public long Version { get; set; }
    public string Definition { get; set; } = "{}";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? DeletedAt { get; set; }

    public BotRecord ToRecord() => new(Id, TenantId, (int)Version,
        JsonSerializer.Deserialize<BotDefinition>(Definition, VoxJson.Options)!, DbTime.ToTime(CreatedAt), DbTime.ToTime(UpdatedAt));
}
