namespace Vox.Gateway.Sip.Transactions;

/// <summary>RFC 3261 timer values (section 17, table 4) derived from T1, T2 and T4.</summary>
public sealed record SipTimers(TimeSpan T1, TimeSpan T2, TimeSpan T4)
{
    /// <summary>The RFC defaults: 500 ms, 4 s, 5 s.</summary>
    public static SipTimers Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));

    /// <summary>64*T1: timers B, F, H, J and the 2xx retransmission limit.</summary>
    public TimeSpan Timeout => T1 * 64;

    /// <summary>Timer D: how long a client INVITE transaction absorbs retransmitted final responses (at least 32 s on UDP).</summary>
    public TimeSpan TimerD => TimeSpan.FromSeconds(32);
}
