using System.Text.Json;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;

namespace Vox.Gateway.Api.Contracts;

/// <summary>A call; <see cref="Turns"/> and <see cref="Events"/> are filled only when one call is fetched by id.</summary>
public sealed record CallResponse(
    string Id,
    string BotId,
    int? BotVersion,
    CallDirection Direction,
    string Transport,
    string? From,
    string? To,
    CallState State,
    string? CampaignId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RingingAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    string? EndDetail,
    string? RecordingRef,
    JsonElement? Metrics,
    JsonElement? Analysis,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<TranscriptTurn>? Turns = null,
    IReadOnlyList<CallEvent>? Events = null)
{
    internal static CallResponse FromRecord(CallRecord call, IReadOnlyList<TranscriptTurn>? turns = null, IReadOnlyList<CallEvent>? events = null) =>
        new(call.Id, call.BotId, call.BotVersion, call.Direction, call.Transport, call.From, call.To, call.State, call.CampaignId,
            call.CreatedAt, call.RingingAt, call.AnsweredAt, call.EndedAt, call.EndReason, call.EndDetail, call.RecordingRef,
            call.Metrics, call.Analysis, call.Metadata, turns, events);
}
