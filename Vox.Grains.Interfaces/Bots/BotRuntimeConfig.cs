namespace Vox.Grains.Bots;

/// <summary>The immutable configuration a worker runs one call with.</summary>
public sealed record BotRuntimeConfig(string BotId, string TenantId, int Version, BotDefinition Definition, DateTimeOffset FetchedAt);
