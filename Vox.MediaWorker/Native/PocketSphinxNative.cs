using System.Runtime.InteropServices;

namespace Vox.MediaWorker.Native;

/// <summary>P/Invoke declarations for libpocketsphinx 0.8+5prealpha (Debian package libpocketsphinx3), named as in <c>pocketsphinx.h</c>.</summary>
/// <remarks>A decoder is not thread-safe: each one is driven by one caller at a time.</remarks>
internal static partial class PocketSphinxNative
{
    /// <summary>The soname Debian 12 ships.</summary>
    public const string Library = "libpocketsphinx.so.3";

    /// <summary>Frames per second of the acoustic front end (<c>-frate</c>, left at its default).</summary>
    public const int FramesPerSecond = 100;

    [LibraryImport(Library)]
    public static partial IntPtr ps_args();

    [LibraryImport(Library)]
    public static partial PocketSphinxDecoderHandle ps_init(SphinxConfigHandle config);

    [LibraryImport(Library)]
    public static partial int ps_free(IntPtr decoder);

    [LibraryImport(Library)]
    public static partial int ps_start_stream(PocketSphinxDecoderHandle decoder);

    [LibraryImport(Library)]
    public static partial int ps_start_utt(PocketSphinxDecoderHandle decoder);

    [LibraryImport(Library)]
    public static partial int ps_process_raw(PocketSphinxDecoderHandle decoder, ReadOnlySpan<short> data, nuint sampleCount, int noSearch, int fullUtterance);

    [LibraryImport(Library)]
    public static partial int ps_end_utt(PocketSphinxDecoderHandle decoder);

    [LibraryImport(Library)]
    public static partial IntPtr ps_get_hyp(PocketSphinxDecoderHandle decoder, out int bestScore);

    [LibraryImport(Library)]
    public static partial int ps_get_prob(PocketSphinxDecoderHandle decoder);

    [LibraryImport(Library)]
    public static partial IntPtr ps_get_logmath(PocketSphinxDecoderHandle decoder);

    [LibraryImport(Library)]
    public static partial byte ps_get_in_speech(PocketSphinxDecoderHandle decoder);

    [LibraryImport(Library)]
    public static partial IntPtr ps_seg_iter(PocketSphinxDecoderHandle decoder);

    [LibraryImport(Library)]
    public static partial IntPtr ps_seg_next(IntPtr segment);

    [LibraryImport(Library)]
    public static partial IntPtr ps_seg_word(IntPtr segment);

    [LibraryImport(Library)]
    public static partial void ps_seg_frames(IntPtr segment, out int startFrame, out int endFrame);

    [LibraryImport(Library)]
    public static partial void ps_seg_free(IntPtr segment);

    [LibraryImport(Library)]
    public static partial IntPtr ps_get_config(PocketSphinxDecoderHandle decoder);

    /// <summary>The language model of search <paramref name="name"/> (borrowed: the search keeps its reference).</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ps_get_lm(PocketSphinxDecoderHandle decoder, string name);

    /// <summary>Adds an n-gram search named <paramref name="name"/>; the search takes a reference of its own to <paramref name="languageModel"/>.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ps_set_lm(PocketSphinxDecoderHandle decoder, string name, IntPtr languageModel);

    /// <summary>Makes search <paramref name="name"/> the active one; only between utterances.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ps_set_search(PocketSphinxDecoderHandle decoder, string name);

    /// <summary>The pronunciation of <paramref name="word"/> in the dictionary, or null when it has none (caller frees the result).</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ps_lookup_word(PocketSphinxDecoderHandle decoder, string word);
}
