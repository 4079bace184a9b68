using System.ComponentModel.DataAnnotations;

namespace Vox.MediaWorker.Providers.Deepgram;

/// <summary>The <c>Providers:Deepgram</c> section: live streaming recognition.</summary>
public sealed class DeepgramOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Providers:Deepgram";

    /// <summary>WebSocket base URL (no path).</summary>
    [Required]
    public string BaseUrl { get; set; } = "wss://api.deepgram.com";

    /// <summary>Model used when the bot names none.</summary>
    public string Model { get; set; } = "nova-3";

    /// <summary>Key used when the tenant stored none (configuration or environment).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Deepgram's own endpointing pause (the VAD still decides the turn and sends <c>Finalize</c>).</summary>
    [Range(10, 5_000)]
    public int EndpointingMs { get; set; } = 300;

    /// <summary>Silence after the last word before Deepgram sends <c>UtteranceEnd</c>.</summary>
    [Range(1_000, 5_000)]
    public int UtteranceEndMs { get; set; } = 1_000;

    /// <summary>Sends <c>KeepAlive</c> when no audio went out for this long (Deepgram closes after 10 s).</summary>
    [Range(100, 9_000)]
    public int KeepAliveIntervalMs { get; set; } = 4_000;

    /// <summary>Reconnect attempts after the socket drops, before the session fails.</summary>
    [Range(0, 20)]
    public int ReconnectAttempts { get; set; } = 5;

    /// <summary>Pause before a reconnect attempt, doubled each time.</summary>
    [Range(0, 10_000)]
    public int ReconnectDelayMs { get; set; } = 100;

    /// <summary>Audio kept since the last final result, replayed after a reconnect so the turn is not lost.</summary>
    [Range(1, 120)]
    public int ReplaySeconds { get; set; } = 30;
}
