namespace Vox.MediaWorker.Tools;

/// <summary>The result of one tool call: the JSON content for the model and the effect on the call.</summary>
public sealed record ToolOutcome(string Content, ToolEffect Effect = ToolEffect.None, string? Destination = null, bool Ok = true);
