using System.ComponentModel.DataAnnotations;

namespace Vox.MediaWorker.Providers.MiniMax;

/// <summary>The <c>Providers:MiniMax</c> section (T2A v2).</summary>
public sealed class MiniMaxOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Providers:MiniMax";

    /// <summary>Base URL (the low-latency host is <c>https://api-uw.minimax.io</c>).</summary>
    [Required]
    public string BaseUrl { get; set; } = "https://api.minimax.io";

    /// <summary>Model used when the bot names none.</summary>
    public string Model { get; set; } = "speech-02-turbo";

    /// <summary>Voice used when the bot names none.</summary>
    public string DefaultVoice { get; set; } = "English_expressive_narrator";

    /// <summary>Optional GroupId query parameter that older accounts need.</summary>
    public string? GroupId { get; set; }

    /// <summary>Key used when the tenant stored none (configuration or environment).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Time allowed for the response headers and the first audio.</summary>
    [Range(100, 60_000)]
    public int FirstByteTimeoutMs { get; set; } = 5_000;
}
