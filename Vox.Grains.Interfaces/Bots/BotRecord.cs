namespace Vox.Grains.Bots;

/// <summary>A stored bot: its id, owner, version and definition.</summary>
public sealed record BotRecord(string Id, string TenantId, int Version, BotDefinition Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
