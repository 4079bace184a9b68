namespace Vox.MediaWorker.Tools;

/// <summary>Telemetry of one tool call, kept on the call record (never the arguments or headers, which may hold personal data or secrets).</summary>
public sealed record ToolCallEvent(long TurnId, string Tool, string Type, bool Ok, double DurationMs, string? Error, double AtMs);
