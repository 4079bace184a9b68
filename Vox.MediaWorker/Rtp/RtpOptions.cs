using System.ComponentModel.DataAnnotations;

namespace Vox.MediaWorker.Rtp;

/// <summary>The <c>Rtp</c> section of a worker: its RTP port range, jitter buffer and inactivity limit for SIP calls.</summary>
public sealed class RtpOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Rtp";

    /// <summary>Lowest UDP port for RTP; 0 with <see cref="PortMax"/> 0 lets the system pick.</summary>
    [Range(0, 65535)]
    public int PortMin { get; set; }

    /// <summary>Highest UDP port for RTP.</summary>
    [Range(0, 65535)]
    public int PortMax { get; set; }

    /// <summary>Packets the jitter buffer holds before it declares a missing one lost (3 = 60 ms at 20 ms packets).</summary>
    [Range(0, 50)]
    public int JitterDepth { get; set; } = 3;

    /// <summary>Seconds without an RTP packet (not on hold) after which the call is hung up.</summary>
    [Range(1, 3600)]
    public int InactivitySeconds { get; set; } = 30;

    /// <summary>Seconds a session opened for a call may wait for the call to be answered before it is abandoned.</summary>
    [Range(1, 3600)]
    public int AnswerTimeoutSeconds { get; set; } = 120;
}
