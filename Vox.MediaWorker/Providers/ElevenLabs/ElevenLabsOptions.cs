using System.ComponentModel.DataAnnotations;

namespace Vox.MediaWorker.Providers.ElevenLabs;

/// <summary>The <c>Providers:ElevenLabs</c> section.</summary>
public sealed class ElevenLabsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Providers:ElevenLabs";

    /// <summary>HTTP base URL; the WebSocket URL is derived from it (<c>https</c> -> <c>wss</c>).</summary>
    [Required]
    public string BaseUrl { get; set; } = "https://api.elevenlabs.io";

    /// <summary>Model used when the bot names none.</summary>
    public string Model { get; set; } = "eleven_flash_v2_5";

    /// <summary>Voice used when the bot names none.</summary>
    public string DefaultVoice { get; set; } = "21m00Tcm4TlvDq8ikWAM";

    /// <summary>Key used when the tenant stored none (configuration or environment).</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>websocket</c> (stream-input, with alignment) or <c>http</c> (streaming POST).</summary>
    public string Transport { get; set; } = "websocket";

    /// <summary>Time allowed to connect and for the first audio.</summary>
    [Range(100, 60_000)]
    public int FirstByteTimeoutMs { get; set; } = 5_000;

    /// <summary>Voice stability (0-1).</summary>
    public double Stability { get; set; } = 0.5;

    /// <summary>Similarity boost (0-1).</summary>
    public double SimilarityBoost { get; set; } = 0.75;
}
