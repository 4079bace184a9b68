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
}
