namespace Vox.Grains;

/// <summary>Time-ordered ids with a type prefix (<c>bot_…</c>, <c>call_…</c>), so ids sort by creation.</summary>
public static class Ids
{
    /// <summary>A new id such as <c>call_0193…</c>.</summary>
    public static string New(string prefix) => $"{prefix}_{Guid.CreateVersion7():N}";
}
