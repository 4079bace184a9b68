using System.Text.Json;

namespace Vox.Grains.Calls;

/// <summary>The post-call package a worker delivers once through its outbox.</summary>
public sealed record CallResult(
    string ResultId,
    string EndReason,
    IReadOnlyList<TranscriptTurn> Turns,
    string? RecordingRef = null,
    JsonElement? Metrics = null,
    JsonElement? Analysis = null,
    string? Detail = null);
