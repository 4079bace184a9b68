using System.Runtime.InteropServices;

namespace Vox.MediaWorker.Native;

/// <summary>P/Invoke declarations for libespeak-ng 1.51 (Debian package libespeak-ng1), named as in <c>espeak-ng/espeak_ng.h</c> and <c>speak_lib.h</c>.</summary>
/// <remarks>The library keeps all of its state in globals: only <c>EspeakEngine</c> calls these, one call at a time.</remarks>
internal static partial class EspeakNative
{
    /// <summary>The soname Debian 12 ships.</summary>
    public const string Library = "libespeak-ng.so.1";

    /// <summary><c>ENOUTPUT_MODE_SYNCHRONOUS</c>: synthesis runs on the calling thread and hands audio to the synth callback.</summary>
    public const int OutputModeSynchronous = 0x0001;

    /// <summary><c>POS_CHARACTER</c>.</summary>
    public const int PositionCharacter = 1;

    /// <summary><c>espeakCHARS_UTF8</c>.</summary>
    public const uint CharsUtf8 = 1;

    /// <summary><c>espeakRATE</c>, in words per minute.</summary>
    public const int ParameterRate = 1;

    /// <summary><c>espeakRATE_MINIMUM</c>.</summary>
    public const int RateMinimum = 80;

    /// <summary><c>espeakRATE_MAXIMUM</c>.</summary>
    public const int RateMaximum = 450;

    /// <summary><c>espeakRATE_NORMAL</c>.</summary>
    public const int RateNormal = 175;

    /// <summary>The synth callback: return 0 to go on, 1 to stop the synthesis.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int SynthCallback(IntPtr wav, int sampleCount, IntPtr events);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void espeak_ng_InitializePath(string? path);

    [LibraryImport(Library)]
    public static partial EspeakStatus espeak_ng_Initialize(ref IntPtr context);

    [LibraryImport(Library)]
    public static partial void espeak_ng_ClearErrorContext(ref IntPtr context);

    [LibraryImport(Library)]
    public static partial EspeakStatus espeak_ng_InitializeOutput(int outputMode, int bufferLengthMs, IntPtr device);

    [LibraryImport(Library)]
    public static partial int espeak_ng_GetSampleRate();

    [LibraryImport(Library)]
    public static partial void espeak_ng_GetStatusCodeMessage(EspeakStatus status, Span<byte> buffer, nuint length);

    [LibraryImport(Library)]
    public static partial void espeak_SetSynthCallback(IntPtr callback);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial EspeakStatus espeak_ng_SetVoiceByName(string name);

    [LibraryImport(Library)]
    public static partial EspeakStatus espeak_ng_SetVoiceByProperties(ref EspeakVoice voiceSelector);

    [LibraryImport(Library)]
    public static partial IntPtr espeak_GetCurrentVoice();

    [LibraryImport(Library)]
    public static partial EspeakStatus espeak_ng_SetParameter(int parameter, int value, int relative);

    [LibraryImport(Library)]
    public static partial EspeakStatus espeak_ng_Synthesize(
        ReadOnlySpan<byte> text, nuint size, uint position, int positionType, uint endPosition, uint flags, IntPtr uniqueIdentifier, IntPtr userData);

    [LibraryImport(Library)]
    public static partial IntPtr espeak_Info(out IntPtr pathData);
}
