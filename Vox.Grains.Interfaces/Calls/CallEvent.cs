using System.Text.Json;

namespace Vox.Grains.Calls;

/// <summary>A stored timeline event.</summary>
public sealed record CallEvent(long Sequence, string Type, DateTimeOffset At, JsonElement? Data);
