namespace Vox.Grains.Numbers;

/// <summary>A number the platform answers, routed to a bot.</summary>
public sealed record PhoneNumber(string Id, string TenantId, string Number, string? BotId, string? Label, string? Trunk, DateTimeOffset CreatedAt);
