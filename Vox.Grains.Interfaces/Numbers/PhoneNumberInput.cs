namespace Vox.Grains.Numbers;

/// <summary>Fields to create or change a phone number.</summary>
public sealed record PhoneNumberInput
{
    /// <summary>The number in E.164 form (+ then 7 to 15 digits).</summary>
    public required string Number { get; init; }

    /// <summary>Bot that answers calls to the number.</summary>
    public string? BotId { get; init; }

    /// <summary>Operator's label.</summary>
    public string? Label { get; init; }

    /// <summary>SIP trunk the number belongs to.</summary>
    public string? Trunk { get; init; }
}
