using Vox.MediaWorker.Native;

namespace Vox.MediaWorker.Tests.Providers;

public sealed class NativeLibraryProbeTests
{
    [Fact]
    public void EnsureAvailable_missing_library_names_the_packages_to_install()
    {
        var error = Assert.Throws<DllNotFoundException>(() => NativeLibraryProbe.EnsureAvailable("libvox-missing.so.9", "vox-missing1"));

        Assert.Contains("apt-get install vox-missing1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureAvailable_library_without_the_entry_point_is_rejected_as_another_version()
    {
        var error = Assert.Throws<DllNotFoundException>(() => NativeLibraryProbe.EnsureAvailable("libespeak-ng.so.1", "libespeak-ng1", "espeak_no_such_function"));

        Assert.Contains("espeak_no_such_function", error.Message, StringComparison.Ordinal);
    }
}
