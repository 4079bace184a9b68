using System.ComponentModel.DataAnnotations;

namespace Vox.Gateway.Sip;

/// <summary>The <c>Sip</c> section: where the gateway listens for SIP, what it advertises, its timers and its trunks.</summary>
public sealed class SipOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Sip";

    /// <summary>False turns SIP off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address the UDP and TCP listeners bind.</summary>
    [Required]
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>Port for UDP and TCP; 0 picks a free one (tests). Defaults to <c>Ports:Sip</c>.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 5060;

    /// <summary>Host or IP written in Via and Contact; empty means the listen address, or 127.0.0.1 when that is a wildcard.</summary>
    public string AdvertisedHost { get; set; } = "";

    /// <summary>RFC 3261 T1 (round-trip estimate), milliseconds.</summary>
    [Range(10, 10_000)]
    public int T1Ms { get; set; } = 500;

    /// <summary>RFC 3261 T2 (longest retransmit interval), milliseconds.</summary>
    [Range(100, 60_000)]
    public int T2Ms { get; set; } = 4_000;

    /// <summary>RFC 3261 T4 (how long a message may live in the network), milliseconds.</summary>
    [Range(100, 60_000)]
    public int T4Ms { get; set; } = 5_000;

    /// <summary>How long an outbound call may ring before it ends <c>no_answer</c>.</summary>
    [Range(1, 600)]
    public int RingTimeoutSeconds { get; set; } = 30;

    /// <summary>How long an inbound call rings (180) before the gateway answers, milliseconds; 0 answers at once.</summary>
    [Range(0, 60_000)]
    public int AnswerDelayMs { get; set; }

    /// <summary>Seconds a caller is told to wait (Retry-After) when the fleet is full.</summary>
    [Range(0, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>Status for a full fleet: 486 (Busy Here) or 503 (Service Unavailable, with Retry-After).</summary>
    [Range(486, 503)]
    public int BusyStatus { get; set; } = 503;

    /// <summary>How often the gateway checks whether the worker ended a call (and then sends BYE), milliseconds.</summary>
    [Range(100, 10_000)]
    public int CallWatchIntervalMs { get; set; } = 500;

    /// <summary>The trunks: carriers or PBXs calls come from and go out through, by name.</summary>
    public Dictionary<string, SipTrunkOptions> Trunks { get; set; } = [];
}
