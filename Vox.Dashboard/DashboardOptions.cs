using System.ComponentModel.DataAnnotations;

namespace Vox.Dashboard;

/// <summary>The <c>Dashboard</c> section: sign-in, live refresh and cost prices.</summary>
public sealed class DashboardOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Dashboard";

    /// <summary>Sign-ins by user name and password besides API keys; empty by default (API keys only).</summary>
    public List<DashboardCredential> Users { get; set; } = [];

    /// <summary>How often the live stream looks for changes, in milliseconds.</summary>
    [Range(100, 10_000)]
    public int LiveIntervalMs { get; set; } = 500;

    /// <summary>How long a sign-in lasts without use, in minutes.</summary>
    [Range(5, 7 * 24 * 60)]
    public int SessionMinutes { get; set; } = 8 * 60;

    /// <summary>How often a signed-in API key is checked again for revocation, in seconds.</summary>
    [Range(5, 3600)]
    public int RevalidateSeconds { get; set; } = 60;

    /// <summary>Price per unit of usage, keyed like the worker's usage keys (<c>openai.prompt_tokens</c>, <c>elevenlabs.tts_characters</c>); usage without a price costs nothing shown.</summary>
    public Dictionary<string, decimal> Prices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where a bot's test call runs in the browser; <c>{botId}</c> is replaced.</summary>
    [Required]
    public string WidgetUrl { get; set; } = "/widget/{botId}/demo";
}
