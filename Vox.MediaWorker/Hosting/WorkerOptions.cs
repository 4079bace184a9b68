using System.ComponentModel.DataAnnotations;

namespace Vox.MediaWorker.Hosting;

/// <summary>The <c>Worker</c> section: who this worker is, where it listens and which silo it reports to.</summary>
public sealed class WorkerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Worker";

    /// <summary>Stable id (keeps the same outbox folder across restarts).</summary>
    [Required]
    public string Id { get; set; } = "worker-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>Pool the worker's slot joins.</summary>
    [Required]
    public string Pool { get; set; } = "default";

    /// <summary>Kestrel URL of the media endpoint.</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:5101";

    /// <summary>URL the gateway reaches this worker at; empty means <see cref="Urls"/>.</summary>
    public string AdvertisedUrl { get; set; } = "";

    /// <summary>Any silo's URL (its internal API).</summary>
    [Required]
    public string SiloUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>IP address for RTP media (SIP calls).</summary>
    public string RtpAddress { get; set; } = "127.0.0.1";

    /// <summary>Folder for the result outbox and temporary recordings.</summary>
    [Required]
    public string DataPath { get; set; } = "data/workers";

    /// <summary>
    /// Seconds a new call waits for the call before it to wind down here (recording saved, result queued): the store frees
    /// the worker when that call ends, which can be a moment before the worker has finished with it, more so on a busy host.
    /// </summary>
    [Range(0, 60)]
    public int SlotWaitSeconds { get; set; } = 10;

    /// <summary>Seconds to wait for the caller's start message.</summary>
    [Range(1, 120)]
    public int StartTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// How far caller audio may run ahead of real time (counted from its start message) before the call is closed. Audio
    /// the gateway held while it set the call up arrives in one burst, so this is seconds, not frames.
    /// </summary>
    [Range(200, 60_000)]
    public int MaxAudioLeadMs { get; set; } = 5_000;

    /// <summary>How often an idle worker hands freed memory back to the system (<see cref="IdleMemoryTrimmer"/>); 0 turns it off.</summary>
    [Range(0, 3_600)]
    public int IdleTrimSeconds { get; set; } = 15;

    /// <summary>
    /// On SIGTERM/SIGINT the worker stops taking calls and lets its current call run this many seconds; a call still running
    /// then is hung up with <see cref="ShutdownEndReason"/>.
    /// </summary>
    [Range(0, 3_600)]
    public int ShutdownGraceSeconds { get; set; } = 30;

    /// <summary>End reason of a call cut by a shutdown: <c>worker_shutdown</c>, or <c>silo_shutdown</c> for a silo's local workers.</summary>
    [RegularExpression("^(worker_shutdown|silo_shutdown)$", ErrorMessage = "Worker:ShutdownEndReason must be worker_shutdown or silo_shutdown.")]
    public string ShutdownEndReason { get; set; } = Grains.Calls.EndReasons.WorkerShutdown;
}
