using System.Text.Json;
using Vox.Grains.Capacity;

namespace Vox.Grains.Calls;

/// <summary>A call as stored.</summary>
public sealed record CallRecord(
    string Id,
    string TenantId,
    string BotId,
    int? BotVersion,
    CallDirection Direction,
    string Transport,
    string? From,
    string? To,
    CallState State,
    string? WorkerId,
    string? CampaignId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RingingAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    string? EndDetail,
    string? ResultId,
    string? RecordingRef,
    JsonElement? Metrics,
    JsonElement? Analysis,
    IReadOnlyDictionary<string, string> Metadata);
