namespace Vox.Grains.Bots;

/// <summary>Answering-machine detection on outbound calls and what to do when a machine answers.</summary>
public sealed record VoicemailSettings
{
    /// <summary>Screen the first seconds of an answered outbound call for an answering machine.</summary>
    public bool Detect { get; init; }

    /// <summary><c>hangup</c>, or <c>leave_message</c> (speak <see cref="Message"/> after the beep, then hang up).</summary>
    public string Action { get; init; } = "hangup";

    /// <summary>What the bot leaves on the machine.</summary>
    public string? Message { get; init; }

    /// <summary>A greeting that talks longer than this (milliseconds, almost without pause) is a machine's.</summary>
    public int MaxGreetingMs { get; init; } = 2500;
}
