using Vox.Grains.Capacity;

namespace Vox.Grains.Calls;

/// <summary>What is known when a call is created.</summary>
public sealed record CallStart(
    string TenantId,
    string BotId,
    CallDirection Direction,
    string Transport,
    string? From,
    string? To,
    string? WorkerId = null,
    string? CampaignId = null,
    IReadOnlyDictionary<string, string>? Metadata = null);
