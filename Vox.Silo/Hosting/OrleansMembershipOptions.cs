namespace Vox.Silo.Hosting;

/// <summary>
/// <c>Orleans:Membership</c>: how fast a silo that stopped answering is declared dead. Each silo probes <see cref="NumProbedSilos"/>
/// others; after <see cref="NumMissedProbesLimit"/> missed probes it votes the silo dead in the table, and
/// <see cref="NumVotesForDeathDeclaration"/> fresh votes declare it. Lower values find a crash sooner and risk declaring a silo
/// that only paused (a long GC, a starved CPU) dead; a declared silo stops and must restart. Orleans' defaults
/// (5 s probe timeout, 60 s table refresh) took 5-7 s here; these take about 2 s on a LAN.
/// </summary>
public sealed class OrleansMembershipOptions
{
    /// <summary>Initial probe timeout and probe period; Orleans adapts it per silo between half and four times this. Default 500 ms.</summary>
    public int ProbeTimeoutMs { get; set; } = 500;

    /// <summary>Ceiling of the adapted probe timeout (Orleans' default is four times <see cref="ProbeTimeoutMs"/>, which let a silent silo take 7-8 s to declare). Default 700 ms.</summary>
    public int MaxProbeTimeoutMs { get; set; } = 700;

    /// <summary>Missed probes before a silo votes another dead. Default 3.</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>How many other silos each silo probes. Default 3.</summary>
    public int NumProbedSilos { get; set; } = 3;

    /// <summary>Votes that declare a silo dead; at most <see cref="NumProbedSilos"/>. Default 2.</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>A vote older than this no longer counts. Default 10 s.</summary>
    public int DeathVoteExpirationTimeoutMs { get; set; } = 10_000;

    /// <summary>Period of reading the membership table (changes also spread by gossip at once). Default 2 s.</summary>
    public int TableRefreshTimeoutMs { get; set; } = 2_000;

    /// <summary>Period of this silo's heartbeat write to the table (used by newcomers and for diagnostics, not for probing). Default 5 s.</summary>
    public int IAmAliveTablePublishTimeoutMs { get; set; } = 5_000;

    /// <summary>How long a starting silo keeps trying to join before it gives up. Default 30 s.</summary>
    public int MaxJoinAttemptTimeMs { get; set; } = 30_000;
}
