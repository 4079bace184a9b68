using System.Runtime.InteropServices;
using Vox.Grains.Workers;

namespace Vox.MediaWorker.Native;

/// <summary>Makes this assembly's P/Invoke declarations, which name the Debian sonames, load the files <see cref="OfflineVoiceOptions"/> names instead.</summary>
/// <remarks>
/// .NET allows one resolver per assembly and process, and the libraries it resolves are process-wide too (as is the
/// espeak-ng engine's one-owner guard), so the first configuration installed wins; a later one that names other files
/// is refused rather than silently ignored. A worker process installs it once, at start.
/// </remarks>
internal static class OfflineLibraryResolver
{
    private static readonly Lock s_gate = new();
    private static OfflineVoiceOptions? s_installed;

    /// <summary>Installs the resolver for <paramref name="options"/>; a no-op when the same files are installed already.</summary>
    /// <exception cref="InvalidOperationException">A resolver for other files is installed in this process.</exception>
    public static void Install(OfflineVoiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = new OfflineVoiceOptions
        {
            EspeakLibrary = options.EspeakLibrary,
            SphinxBaseLibrary = options.SphinxBaseLibrary,
            PocketSphinxLibrary = options.PocketSphinxLibrary,
        };
        lock (s_gate)
        {
            if (s_installed is { } current)
            {
                if (current.EspeakLibrary != names.EspeakLibrary || current.SphinxBaseLibrary != names.SphinxBaseLibrary || current.PocketSphinxLibrary != names.PocketSphinxLibrary)
                {
                    throw new InvalidOperationException("The offline voice libraries of this process are set already (Offline:*); one process loads one set.");
                }

                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(OfflineLibraryResolver).Assembly, (name, assembly, path) =>
            {
                var file = names.Resolve(name);
                // Not ours, or not renamed: the runtime loads it as it would without a resolver. A renamed one that does not
                // load must fail rather than fall back to the soname, or the setting would not mean what it says.
                return file == name ? IntPtr.Zero
                    : NativeLibrary.TryLoad(file, out var handle) ? handle
                    : throw new DllNotFoundException($"The native library {file} (configured in place of {name}) could not be loaded.");
            });
            s_installed = names;
        }
    }
}
