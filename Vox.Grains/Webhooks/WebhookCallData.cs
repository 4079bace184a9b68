using System.Text.Json;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;

namespace Vox.Grains.Webhooks;

/// <summary>A call as a webhook event carries it (<c>data.call</c>); the transcript only on <c>call.completed</c>.</summary>
internal sealed record WebhookCallData(
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
    string? ResultId,
    string? RecordingRef,
    JsonElement? Metrics,
    JsonElement? Analysis,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<TranscriptTurn>? Turns)
{
    public static WebhookCallData Of(CallRecord call, IReadOnlyList<TranscriptTurn>? turns) =>
        new(call.Id, call.BotId, call.BotVersion, call.Direction, call.Transport, call.From, call.To, call.State, call.CampaignId,
            call.CreatedAt, call.RingingAt, call.AnsweredAt, call.EndedAt, call.EndReason, call.EndDetail, call.ResultId,
            call.RecordingRef, call.Metrics, call.Analysis, call.Metadata, turns);
}
