namespace Vox.Grains.Workers;

/// <summary>Whether this host's offline voice (espeak-ng, pocketsphinx and its model) can serve calls; if not, why and the command that fixes it.</summary>
/// <param name="Ready">True when every library loads with the entry points Vox calls and every model and data file is there.</param>
/// <param name="Reason">What is missing, naming the files (and the setting that points at them); null when ready.</param>
/// <param name="Fix">The command that installs what is missing; null when ready.</param>
public sealed record OfflineVoiceReadiness(bool Ready, string? Reason, string? Fix)
{
    /// <summary>Everything is in place.</summary>
    public static OfflineVoiceReadiness Available { get; } = new(true, null, null);
}
