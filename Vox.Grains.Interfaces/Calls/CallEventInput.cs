using System.Text.Json;

namespace Vox.Grains.Calls;

/// <summary>A timeline event to append; <see cref="At"/> defaults to the store's clock.</summary>
public sealed record CallEventInput(string Type, JsonElement? Data = null, DateTimeOffset? At = null);
