using System.Runtime.InteropServices;

namespace Vox.MediaWorker.Native;

/// <summary><c>espeak_VOICE</c>: a voice description, and the selector for <c>espeak_ng_SetVoiceByProperties</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EspeakVoice
{
    public IntPtr Name;

    /// <summary>UTF-8 language list; as a selector, one language such as <c>en-gb</c>.</summary>
    public IntPtr Languages;

    /// <summary>UTF-8 voice file path under espeak-ng-data, e.g. <c>gmw/en-US</c>.</summary>
    public IntPtr Identifier;
    public byte Gender;
    public byte Age;
    public byte Variant;
    public byte Reserved;
    public int Score;
    public IntPtr Spare;
}
