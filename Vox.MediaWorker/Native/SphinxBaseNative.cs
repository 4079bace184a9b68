using System.Runtime.InteropServices;

namespace Vox.MediaWorker.Native;

/// <summary>P/Invoke declarations for libsphinxbase 0.8+5prealpha (Debian package libsphinxbase3): configuration, logging and log-math.</summary>
internal static partial class SphinxBaseNative
{
    /// <summary>The soname Debian 12 ships.</summary>
    public const string Library = "libsphinxbase.so.3";

    /// <summary>Parses <paramref name="argv"/> as name/value pairs (no program name) against <paramref name="definitions"/>.</summary>
    /// <remarks>Used instead of the varargs <c>cmd_ln_init</c>, which P/Invoke cannot call portably.</remarks>
    [LibraryImport(Library)]
    public static partial IntPtr cmd_ln_parse_r(IntPtr previous, IntPtr definitions, int argc, IntPtr[] argv, int strict);

    [LibraryImport(Library)]
    public static partial int cmd_ln_free_r(IntPtr config);

    /// <summary>Redirects the library's log (process-wide); <see cref="IntPtr.Zero"/> silences it.</summary>
    [LibraryImport(Library)]
    public static partial void err_set_logfp(IntPtr stream);

    [LibraryImport(Library)]
    public static partial double logmath_exp(IntPtr logmath, int logValue);

    /// <summary><c>NGRAM_ARPA</c> of <c>ngram_file_type_t</c>.</summary>
    public const int NgramArpa = 1;

    /// <summary>Reads a language model file; the caller owns one reference.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ngram_model_read(IntPtr config, string path, int fileType, IntPtr logmath);

    /// <summary>An interpolated set of <paramref name="count"/> models; it takes a reference of its own to each.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr ngram_model_set_init(IntPtr config, IntPtr[] models, IntPtr[] names, float[] weights, int count);

    /// <summary>The model named <paramref name="name"/> in a set (borrowed), or null.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ngram_model_set_lookup(IntPtr set, string name);

    /// <summary>Drops one reference; returns the references left (0: freed).</summary>
    [LibraryImport(Library)]
    public static partial int ngram_model_free(IntPtr model);

    [LibraryImport(Library)]
    public static partial void ckd_free(IntPtr pointer);
}
