using System.Runtime.InteropServices;

namespace Vox.MediaWorker.Native;

/// <summary>Checks up front that a native library loads and has the entry points we call, so a missing package fails with an install hint instead of a bare <see cref="DllNotFoundException"/> mid-call.</summary>
internal static class NativeLibraryProbe
{
    /// <summary>Loads <paramref name="library"/> (it stays loaded for the process, as P/Invoke would keep it) and checks <paramref name="exports"/>.</summary>
    /// <exception cref="DllNotFoundException">The library is missing or is another version.</exception>
    public static void EnsureAvailable(string library, string packages, params ReadOnlySpan<string> exports)
    {
        IntPtr handle;
        try
        {
            // Through this assembly, so a file named in Offline:* (OfflineLibraryResolver) is the one checked.
            handle = NativeLibrary.Load(library, typeof(NativeLibraryProbe).Assembly, null);
        }
        catch (DllNotFoundException ex)
        {
            throw new DllNotFoundException($"The native library {library} could not be loaded. Install it with: apt-get install {packages}", ex);
        }

        foreach (string export in exports)
        {
            if (!NativeLibrary.TryGetExport(handle, export, out _))
            {
                throw new DllNotFoundException($"{library} has no '{export}'; it is not the expected version. Install the Debian 12 build with: apt-get install {packages}");
            }
        }
    }
}
