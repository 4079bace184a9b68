namespace Vox.Grains.Campaigns;

/// <summary>How one dial attempt ended, as recorded on <c>campaign_attempts.outcome</c>.</summary>
public static class AttemptOutcomes
{
    /// <summary>The callee answered and the bot talked.</summary>
    public const string Answered = "answered";

    /// <summary>The callee was busy (SIP 486/600).</summary>
    public const string Busy = "busy";

    /// <summary>Nobody answered before the ring timeout.</summary>
    public const string NoAnswer = "no_answer";

    /// <summary>An answering machine picked up.</summary>
    public const string Voicemail = "voicemail";

    /// <summary>Rejected or errored; includes a lost worker.</summary>
    public const string Failed = "failed";

    /// <summary>The call was never placed (no free slot, or the launching silo died first); it does not count as an attempt.</summary>
    public const string NotLaunched = "not_launched";

    /// <summary>Maps a call's end reason to an attempt outcome.</summary>
    public static string FromEndReason(string? endReason) => endReason switch
    {
        "busy" => Busy,
        "no_answer" => NoAnswer,
        "voicemail" => Voicemail,
        "rejected" or "error" or "worker_lost" or "reservation_expired" or null => Failed,
        "no_capacity" => NotLaunched,
        _ => Answered,
    };
}
