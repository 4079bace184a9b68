namespace Vox.Grains.Calls;

/// <summary>The end reasons Vox records on calls.</summary>
public static class EndReasons
{
    /// <summary>The caller hung up.</summary>
    public const string CallerHangup = "caller_hangup";
    /// <summary>The bot ended the call (end_call tool or script).</summary>
    public const string BotHangup = "bot_hangup";
    /// <summary>An operator hung up the call (dashboard or API).</summary>
    public const string OperatorHangup = "operator_hangup";
    /// <summary>The worker carrying the call stopped heartbeating.</summary>
    public const string WorkerLost = "worker_lost";
    /// <summary>The reservation lapsed before media connected.</summary>
    public const string ReservationExpired = "reservation_expired";
    /// <summary>The call reached the bot's maximum duration.</summary>
    public const string MaxDuration = "max_duration";
    /// <summary>The caller stayed silent past the idle timeout.</summary>
    public const string IdleTimeout = "idle_timeout";
    /// <summary>The call was transferred away.</summary>
    public const string Transferred = "transferred";
    /// <summary>No slot was free.</summary>
    public const string NoCapacity = "no_capacity";
    /// <summary>The callee was busy.</summary>
    public const string Busy = "busy";
    /// <summary>The callee did not answer in time.</summary>
    public const string NoAnswer = "no_answer";
    /// <summary>The callee or carrier rejected the call.</summary>
    public const string Rejected = "rejected";
    /// <summary>The call was cancelled before it was answered.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>An answering machine picked up.</summary>
    public const string Voicemail = "voicemail";
    /// <summary>The silo carrying the call stopped, and the call outlasted its shutdown grace period.</summary>
    public const string SiloShutdown = "silo_shutdown";
    /// <summary>The worker carrying the call was stopped, and the call outlasted its shutdown grace period.</summary>
    public const string WorkerShutdown = "worker_shutdown";
    /// <summary>A protocol or internal error ended the call.</summary>
    public const string Error = "error";
}
