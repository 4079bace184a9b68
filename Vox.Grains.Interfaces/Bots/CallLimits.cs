namespace Vox.Grains.Bots;

/// <summary>Limits after which the bot hangs up with a message.</summary>
public sealed record CallLimits
{
    /// <summary>Longest call in seconds.</summary>
    public int MaxDurationSeconds { get; init; } = 1800;

    /// <summary>Caller silence in seconds before the bot hangs up.</summary>
    public int IdleTimeoutSeconds { get; init; } = 30;

    /// <summary>What the bot says before hanging up on a limit.</summary>
    public string? LimitMessage { get; init; }
}
