using System.Runtime.InteropServices;

namespace Vox.MediaWorker.Native;

/// <summary>Owns a <c>ps_decoder_t</c>; releasing it calls <c>ps_free</c>.</summary>
internal sealed class PocketSphinxDecoderHandle : SafeHandle
{
    /// <summary>Used by the interop marshaller for <c>ps_init</c>'s result.</summary>
    public PocketSphinxDecoderHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        PocketSphinxNative.ps_free(handle);
        return true;
    }
}
