namespace Vox.Grains.Bots;

/// <summary>What the bot does when the caller presses <see cref="Digit"/>: says <see cref="Reply"/> (cutting off what it was saying) and may hang up.</summary>
public sealed record DtmfAction
{
    /// <summary>The key: one of 0-9, *, #, A-D.</summary>
    public required string Digit { get; init; }

    /// <summary>What the bot says.</summary>
    public required string Reply { get; init; }

    /// <summary>Whether the bot hangs up after saying it.</summary>
    public bool EndsCall { get; init; }
}
