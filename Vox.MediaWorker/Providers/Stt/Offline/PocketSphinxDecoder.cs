using System.Runtime.InteropServices;
using Vox.MediaWorker.Native;

namespace Vox.MediaWorker.Providers.Stt.Offline;

/// <summary>One loaded pocketsphinx decoder (16 kHz). Not thread-safe: one session drives it at a time, from one task.</summary>
internal sealed class PocketSphinxDecoder : IDisposable
{
    /// <summary>Audio rate the acoustic model expects.</summary>
    public const int SampleRate = 16000;

    // The search pocketsphinx builds from -lm, and the name of the model inside its set.
    private const string DefaultSearch = "_default";
    private const string DefaultModel = "default";
    private const string HintsSearch = "hints";

    private readonly PocketSphinxDecoderHandle _handle;
    private readonly IntPtr _logMath;

    private PocketSphinxDecoder(PocketSphinxDecoderHandle handle)
    {
        _handle = handle;
        _logMath = PocketSphinxNative.ps_get_logmath(handle);
    }

    /// <summary>Whether an utterance is open (between <see cref="StartUtterance"/> and <see cref="EndUtterance"/>).</summary>
    public bool InUtterance { get; private set; }

    /// <summary>Parses <paramref name="arguments"/> (name/value pairs) and loads the models they name; slow (about half a second).</summary>
    public static PocketSphinxDecoder Load(IReadOnlyList<string> arguments)
    {
        var argv = new IntPtr[arguments.Count];
        try
        {
            for (int i = 0; i < argv.Length; i++)
            {
                argv[i] = Marshal.StringToCoTaskMemUTF8(arguments[i]);
            }

            IntPtr parsed = SphinxBaseNative.cmd_ln_parse_r(IntPtr.Zero, PocketSphinxNative.ps_args(), argv.Length, argv, 1);
            if (parsed == IntPtr.Zero)
            {
                throw new ArgumentException($"pocketsphinx rejected the decoder arguments: {string.Join(' ', arguments)}", nameof(arguments));
            }

            using var config = new SphinxConfigHandle(parsed);
            PocketSphinxDecoderHandle handle = PocketSphinxNative.ps_init(config);
            if (handle.IsInvalid)
            {
                handle.Dispose();
                throw new InvalidOperationException(
                    $"pocketsphinx could not load its model with {string.Join(' ', arguments)}; the files may be damaged (apt-get install --reinstall pocketsphinx-en-us).");
            }

            return new PocketSphinxDecoder(handle);
        }
        finally
        {
            foreach (IntPtr arg in argv)
            {
                Marshal.FreeCoTaskMem(arg);
            }
        }
    }

    /// <summary>
    /// Switches to a search whose language model interpolates the general model with a bigram model of
    /// <paramref name="phrases"/> at <paramref name="weight"/>; only between utterances. Returns the words of the phrases
    /// the dictionary knows, or 0 when none are left (the general model stays).
    /// </summary>
    public int UseHints(IEnumerable<string> phrases, double weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(weight, 1);
        List<string[]> sentences = HintLanguageModel.Sentences(phrases, IsKnown);
        string? arpa = HintLanguageModel.ToArpa(sentences);
        if (arpa is null)
        {
            return 0;
        }

        IntPtr general = SphinxBaseNative.ngram_model_set_lookup(PocketSphinxNative.ps_get_lm(_handle, DefaultSearch), DefaultModel);
        if (general == IntPtr.Zero)
        {
            throw new InvalidOperationException("pocketsphinx has no general language model to interpolate the hints with.");
        }

        string path = Path.Combine(Path.GetTempPath(), $"vox-hints-{Guid.NewGuid():N}.arpa");
        IntPtr hints = IntPtr.Zero;
        IntPtr set = IntPtr.Zero;
        IntPtr generalName = Marshal.StringToCoTaskMemUTF8(DefaultModel);
        IntPtr hintsName = Marshal.StringToCoTaskMemUTF8(HintsSearch);
        try
        {
            File.WriteAllText(path, arpa);
            IntPtr config = PocketSphinxNative.ps_get_config(_handle);
            hints = SphinxBaseNative.ngram_model_read(config, path, SphinxBaseNative.NgramArpa, _logMath);
            if (hints == IntPtr.Zero)
            {
                throw new InvalidOperationException("pocketsphinx could not read the hint language model.");
            }

            // The set and then the search take references of their own; ours are dropped in finally.
            set = SphinxBaseNative.ngram_model_set_init(config, [general, hints], [generalName, hintsName], [(float)(1 - weight), (float)weight], 2);
            if (set == IntPtr.Zero)
            {
                throw new InvalidOperationException("pocketsphinx could not interpolate the hint language model.");
            }

            Check(PocketSphinxNative.ps_set_lm(_handle, HintsSearch, set), "add the hint search");
            Check(PocketSphinxNative.ps_set_search(_handle, HintsSearch), "switch to the hint search");
            return sentences.Sum(s => s.Length);
        }
        finally
        {
            if (set != IntPtr.Zero)
            {
                SphinxBaseNative.ngram_model_free(set);
            }

            if (hints != IntPtr.Zero)
            {
                SphinxBaseNative.ngram_model_free(hints);
            }

            Marshal.FreeCoTaskMem(generalName);
            Marshal.FreeCoTaskMem(hintsName);
            File.Delete(path);
        }
    }

    /// <summary>A new audio stream (a new call): forgets the previous caller's noise and channel estimates.</summary>
    public void StartStream() => Check(PocketSphinxNative.ps_start_stream(_handle), "start a stream");

    /// <summary>Opens an utterance; word frames count from here.</summary>
    public void StartUtterance()
    {
        Check(PocketSphinxNative.ps_start_utt(_handle), "start an utterance");
        InUtterance = true;
    }

    /// <summary>Feeds 16 kHz samples to the open utterance and searches them.</summary>
    public void Process(ReadOnlySpan<short> samples)
    {
        if (!samples.IsEmpty)
        {
            Check(PocketSphinxNative.ps_process_raw(_handle, samples, (nuint)samples.Length, 0, 0), "process audio");
        }
    }

    /// <summary>Closes the utterance; the hypothesis is then final.</summary>
    public void EndUtterance()
    {
        InUtterance = false;
        Check(PocketSphinxNative.ps_end_utt(_handle), "end the utterance");
    }

    /// <summary>The best hypothesis so far (fillers left out), or an empty string.</summary>
    public string Hypothesis() => Marshal.PtrToStringUTF8(PocketSphinxNative.ps_get_hyp(_handle, out _)) ?? "";

    /// <summary>Posterior probability of the final hypothesis (0..1), from the lattice.</summary>
    public double Confidence() => Math.Clamp(SphinxBaseNative.logmath_exp(_logMath, PocketSphinxNative.ps_get_prob(_handle)), 0, 1);

    /// <summary>The words of the best hypothesis with their frames; silences, noises and sentence markers left out.</summary>
    /// <param name="firstFrame">Frame where the hypothesis starts (its first segment, usually <c>&lt;s&gt;</c>): frames count across the stream, not per utterance.</param>
    public List<RecognizedWord> Words(out int firstFrame)
    {
        var words = new List<RecognizedWord>();
        firstFrame = -1;
        for (IntPtr segment = PocketSphinxNative.ps_seg_iter(_handle); segment != IntPtr.Zero; segment = PocketSphinxNative.ps_seg_next(segment))
        {
            PocketSphinxNative.ps_seg_frames(segment, out int start, out int end);
            if (firstFrame < 0)
            {
                firstFrame = start;
            }

            string word = Marshal.PtrToStringUTF8(PocketSphinxNative.ps_seg_word(segment)) ?? "";
            if (word.Length == 0 || word[0] is '<' or '[' or '+')
            {
                continue;
            }

            // Alternative pronunciations come back as "word(2)".
            int variant = word.IndexOf('(', StringComparison.Ordinal);
            words.Add(new RecognizedWord(variant > 0 ? word[..variant] : word, start, end));
        }

        return words;
    }

    /// <summary>Whether the dictionary has a pronunciation for <paramref name="word"/>.</summary>
    public bool IsKnown(string word)
    {
        IntPtr pronunciation = PocketSphinxNative.ps_lookup_word(_handle, word);
        if (pronunciation == IntPtr.Zero)
        {
            return false;
        }

        SphinxBaseNative.ckd_free(pronunciation);
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private static void Check(int result, string action)
    {
        if (result < 0)
        {
            throw new InvalidOperationException($"pocketsphinx could not {action} (error {result}).");
        }
    }
}
