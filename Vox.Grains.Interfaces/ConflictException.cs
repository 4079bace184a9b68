namespace Vox.Grains;

/// <summary>The request conflicts with the current state (duplicate, stale version, terminal state).</summary>
public sealed class ConflictException(string code, string message, string? field = null) : VoxException(code, message)
{
    /// <summary>The request field the conflict is about, when there is one.</summary>
    public string? Field { get; } = field;
}
