namespace Vox.Grains.Bots;

/// <summary>
/// What the bot does when the caller presses <see cref="Digit"/>: says <see cref="Reply"/> (cutting off what it was saying),
/// then may hang up (<see cref="EndsCall"/>) or blind-transfer the call (<see cref="TransferTo"/>, "press 0 for an operator").
/// </summary>
public sealed record DtmfAction
{
    /// <summary>The key: one of 0-9, *, #, A-D.</summary>
    public required string Digit { get; init; }

    /// <summary>What the bot says.</summary>
    public required string Reply { get; init; }

    /// <summary>Whether the bot hangs up after saying it.</summary>
    public bool EndsCall { get; init; }

    /// <summary>Where the call is transferred once the reply has played: an E.164 number or a SIP URI (SIP calls: REFER).</summary>
    public string? TransferTo { get; init; }
}
