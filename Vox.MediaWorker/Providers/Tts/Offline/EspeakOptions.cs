namespace Vox.MediaWorker.Providers.Tts.Offline;

/// <summary>Settings of the offline espeak-ng voice (configuration section <see cref="Section"/>).</summary>
public sealed class EspeakOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Tts:Espeak";

    /// <summary>
    /// The espeak-ng-data folder. Default <c>null</c>: <c>ESPEAK_DATA_PATH</c> if set, else the library's own
    /// (<c>/usr/lib/x86_64-linux-gnu/espeak-ng-data</c> on Debian amd64, from the espeak-ng-data package).
    /// </summary>
    public string? DataPath { get; set; }

    /// <summary>Voice used when neither the request's voice nor its language is one espeak-ng has. Default <c>en-us</c>.</summary>
    public string DefaultVoice { get; set; } = "en-us";
}
