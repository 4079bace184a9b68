namespace Vox.MediaWorker.Transports;

/// <summary>A control event for the far end: <c>transcript</c> (role, text, final), <c>mark</c>, <c>end</c>.</summary>
public sealed record TransportEvent(string Type, string? Role = null, string? Text = null, bool? Final = null, string? Name = null, string? Reason = null);
