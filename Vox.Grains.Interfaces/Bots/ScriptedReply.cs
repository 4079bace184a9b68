namespace Vox.Grains.Bots;

/// <summary>A reply the offline responder gives when the caller's words match any keyword.</summary>
public sealed record ScriptedReply
{
    /// <summary>Keywords or phrases that select this reply.</summary>
    public required IReadOnlyList<string> Keywords { get; init; }

    /// <summary>What the bot says.</summary>
    public required string Reply { get; init; }

    /// <summary>Whether the bot hangs up after saying it.</summary>
    public bool EndsCall { get; init; }
}
