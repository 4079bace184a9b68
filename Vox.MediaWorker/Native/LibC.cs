using System.Runtime.InteropServices;

namespace Vox.MediaWorker.Native;

/// <summary>The C library's allocator controls.</summary>
internal static partial class LibC
{
    /// <summary>Returns free pages at the top and in the middle of the C heap to the system (glibc <c>malloc_trim</c>); no-op elsewhere.</summary>
    public static void TrimHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = malloc_trim(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): nothing to trim.
        }
    }

    [LibraryImport("libc.so.6")]
    private static partial int malloc_trim(nuint pad);
}
