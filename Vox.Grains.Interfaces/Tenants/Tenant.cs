namespace Vox.Grains.Tenants;

/// <summary>An account whose bots, numbers and calls are isolated from every other.</summary>
public sealed record Tenant(string Id, string Name, int? MaxConcurrentCalls, DateTimeOffset CreatedAt);
