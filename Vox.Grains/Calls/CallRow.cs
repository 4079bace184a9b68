using System.Text.Json;
using Vox.Grains.Capacity;
using Vox.Grains.Store;
using static Vox.Grains.Store.DbTime;

namespace Vox.Grains.Calls;

/// <summary>A row of the <c>calls</c> table.</summary>
internal sealed class CallRow
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string BotId { get; set; } = "";
    public long? BotVersion { get; set; }
    public string Direction { get; set; } = "inbound";
    public string Transport { get; set; } = "";
    public string? FromNumber { get; set; }
    public string? ToNumber { get; set; }
    public string State { get; set; } = "queued";
    public string? WorkerId { get; set; }
    public string? CampaignId { get; set; }
    public long CreatedAt { get; set; }
    public long? RingingAt { get; set; }
    public long? AnsweredAt { get; set; }
    public long? EndedAt { get; set; }
    public string? EndReason { get; set; }
    public string? EndDetail { get; set; }
    public string? ResultId { get; set; }
    public string? RecordingRef { get; set; }
    public string? Metrics { get; set; }
    public string? Analysis { get; set; }
    public string Metadata { get; set; } = "{}";

    public static string StateName(CallState state) => state switch
    {
        CallState.Queued => "queued",
        CallState.Ringing => "ringing",
        CallState.InProgress => "in_progress",
        _ => "ended",
    };

    public static CallState ParseState(string state) => state switch
    {
        "queued" => CallState.Queued,
        "ringing" => CallState.Ringing,
        "in_progress" => CallState.InProgress,
        _ => CallState.Ended,
    };

    public static string DirectionName(CallDirection direction) => direction == CallDirection.Outbound ? "outbound" : "inbound";

    public CallRecord ToRecord() => new(Id, TenantId, BotId, (int?)BotVersion,
        Direction == "outbound" ? CallDirection.Outbound : CallDirection.Inbound, Transport, FromNumber, ToNumber,
        ParseState(State), WorkerId, CampaignId, ToTime(CreatedAt), ToTime(RingingAt), ToTime(AnsweredAt), ToTime(EndedAt),
        EndReason, EndDetail, ResultId, RecordingRef, ParseJson(Metrics), ParseJson(Analysis),
        JsonSerializer.Deserialize<Dictionary<string, string>>(Metadata, VoxJson.Options) ?? []);

    private static JsonElement? ParseJson(string? json) =>
        json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
