using System.Runtime.InteropServices;

namespace Vox.MediaWorker.Native;

/// <summary><c>espeak_EVENT</c>: the events that accompany each buffer handed to the synth callback, ended by a <see cref="ListTerminated"/> entry.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EspeakEvent
{
    /// <summary><c>espeakEVENT_LIST_TERMINATED</c>.</summary>
    public const int ListTerminated = 0;

    /// <summary><c>espeakEVENT_WORD</c>: a word starts.</summary>
    public const int Word = 1;

    public int Type;
    public uint UniqueIdentifier;

    /// <summary>1-based position of the word in the text, in characters (code points).</summary>
    public int TextPosition;

    /// <summary>Word length in characters.</summary>
    public int Length;

    /// <summary>Milliseconds from the start of the synthesis.</summary>
    public int AudioPosition;
    public int Sample;
    public IntPtr UserData;

    // The 8-byte id union (number, name pointer or char[8]), 4-byte aligned as in C on 32-bit targets too.
    public int IdLow;
    public int IdHigh;
}
