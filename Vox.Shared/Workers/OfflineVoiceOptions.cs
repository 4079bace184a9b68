namespace Vox.Grains.Workers;

/// <summary>
/// The native libraries of the offline voice (configuration section <see cref="Section"/>), by file name or path. The
/// defaults are the sonames Debian 12 ships; a worker loads these (through its DLL import resolver) and the readiness
/// probe checks these, so a library installed elsewhere can be named here.
/// </summary>
public sealed class OfflineVoiceOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Offline";

    /// <summary>The soname Debian 12's libespeak-ng1 ships.</summary>
    public const string DefaultEspeakLibrary = "libespeak-ng.so.1";

    /// <summary>The soname Debian 12's libsphinxbase3 ships.</summary>
    public const string DefaultSphinxBaseLibrary = "libsphinxbase.so.3";

    /// <summary>The soname Debian 12's libpocketsphinx3 ships.</summary>
    public const string DefaultPocketSphinxLibrary = "libpocketsphinx.so.3";

    /// <summary>libespeak-ng (text to speech). Default <see cref="DefaultEspeakLibrary"/>.</summary>
    public string EspeakLibrary { get; set; } = DefaultEspeakLibrary;

    /// <summary>libsphinxbase (pocketsphinx's base library). Default <see cref="DefaultSphinxBaseLibrary"/>.</summary>
    public string SphinxBaseLibrary { get; set; } = DefaultSphinxBaseLibrary;

    /// <summary>libpocketsphinx (speech recognition). Default <see cref="DefaultPocketSphinxLibrary"/>.</summary>
    public string PocketSphinxLibrary { get; set; } = DefaultPocketSphinxLibrary;

    /// <summary>The configured file for a library the code imports by its Debian soname (that soname itself if it is none of ours).</summary>
    public string Resolve(string soname) => soname switch
    {
        DefaultEspeakLibrary => EspeakLibrary,
        DefaultSphinxBaseLibrary => SphinxBaseLibrary,
        DefaultPocketSphinxLibrary => PocketSphinxLibrary,
        _ => soname,
    };
}
