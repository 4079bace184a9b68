using System.Runtime.InteropServices;

namespace Vox.MediaWorker.Native;

/// <summary>Owns one reference to a <c>cmd_ln_t</c>; <c>ps_init</c> takes its own, so this can be released once the decoder exists.</summary>
internal sealed class SphinxConfigHandle : SafeHandle
{
    /// <summary>Takes ownership of a configuration returned by <c>cmd_ln_parse_r</c>.</summary>
    public SphinxConfigHandle(IntPtr config) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(config);
    }

    /// <summary>Used by the interop marshaller.</summary>
    public SphinxConfigHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        SphinxBaseNative.cmd_ln_free_r(handle);
        return true;
    }
}
