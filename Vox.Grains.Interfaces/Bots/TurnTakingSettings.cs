namespace Vox.Grains.Bots;

/// <summary>When a caller's turn ends and when caller speech interrupts the bot.</summary>
public sealed record TurnTakingSettings
{
    /// <summary>Silence after speech that ends the caller's turn.</summary>
    public int EndOfTurnSilenceMs { get; init; } = 700;

    /// <summary>Caller speech that lasts this long stops the bot.</summary>
    public int BargeInMinSpeechMs { get; init; } = 260;

    /// <summary>With STT, this many words stop the bot even if shorter.</summary>
    public int BargeInMinWords { get; init; } = 2;

    /// <summary>Whether the caller may interrupt the bot at all.</summary>
    public bool AllowBargeIn { get; init; } = true;
}
