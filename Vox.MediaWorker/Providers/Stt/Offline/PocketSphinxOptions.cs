using Vox.Grains.Workers;

namespace Vox.MediaWorker.Providers.Stt.Offline;

/// <summary>Settings of the offline recogniser, pocketsphinx (configuration section <see cref="Section"/>).</summary>
public sealed class PocketSphinxOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Stt:PocketSphinx";

    /// <summary>Folder of the model files. Default: where Debian's pocketsphinx-en-us package puts them.</summary>
    public string ModelDirectory { get; set; } = OfflineVoiceProbe.DefaultModelDirectory;

    /// <summary>Acoustic model folder (16 kHz), relative to <see cref="ModelDirectory"/> or absolute. Default <c>en-us</c>.</summary>
    public string AcousticModel { get; set; } = OfflineVoiceProbe.DefaultAcousticModel;

    /// <summary>Language model, relative to <see cref="ModelDirectory"/> or absolute. Default <c>en-us.lm.bin</c>.</summary>
    public string LanguageModel { get; set; } = OfflineVoiceProbe.DefaultLanguageModel;

    /// <summary>Pronunciation dictionary, relative to <see cref="ModelDirectory"/> or absolute. Default <c>cmudict-en-us.dict</c>.</summary>
    public string Dictionary { get; set; } = OfflineVoiceProbe.DefaultDictionary;

    /// <summary>
    /// Further decoder arguments (name with its dash, value), e.g. <c>-lw</c> or <c>-beam</c>. Default:
    /// <c>-remove_silence no</c>, so word times stay in audio time (dropping silent frames shifts them). Feature settings
    /// (<c>-cmninit</c>, <c>-upperf</c>, <c>-agc</c>...) are taken from the model's feat.params whatever is given here.
    /// </summary>
    public Dictionary<string, string> DecoderArguments { get; set; } = new(StringComparer.Ordinal)
    {
        ["-remove_silence"] = "no",
    };

    /// <summary>
    /// Active speech level (RMS over speech, dBFS) the audio is brought to before recognition; <c>null</c> leaves the
    /// level alone. Default -33 dBFS, where the en-us model's cepstral-mean prior fits: it gave the lowest word error
    /// rate on the test clips whether they were clean or noisy.
    /// </summary>
    public double? TargetSpeechLevelDbfs { get; set; } = -33;

    /// <summary>
    /// Level (RMS, dBFS) of white noise added to the audio the recogniser hears, after level and rate conversion;
    /// <c>null</c> adds none. The en-us model was trained on speech with a noise floor: digital silence, and the empty
    /// band above 4 kHz of a telephone call brought up to 16 kHz, give it features it has never seen.
    /// </summary>
    /// <remarks>Default -60 dBFS (27 dB below the speech level): on the test clips it lowered the mean word error rate
    /// of clean 16 kHz speech from 0.63 to 0.37 and of clean 8 kHz speech from 0.98 to 0.63 (with hints); -50 and -67
    /// did worse.</remarks>
    public double? NoiseFloorDbfs { get; set; } = -60;

    /// <summary>
    /// Weight (0..0.95) of the language model built from a session's keywords (the bot's expected phrases), interpolated
    /// with the general model; 0 ignores keywords. Default 0.5: on the test clips it turned "that's evil lying" into
    /// "that is all" without making other utterances sound like the hints.
    /// </summary>
    public double HintWeight { get; set; } = 0.5;

    /// <summary>
    /// Decoders kept loaded between calls. Default 0: a decoder holds about 90 MB of native memory, and a session does
    /// not wait for one (the model loads, in about half a second, while the greeting plays; the caller's audio queues
    /// meanwhile), so an idle worker stays small. 1 saves that load on a machine with memory to spare.
    /// </summary>
    public int WarmDecoders { get; set; }

    /// <summary>Least time between two interim transcripts of one session. Default 300 ms.</summary>
    public TimeSpan InterimInterval { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>An utterance that runs this long without being finalised is closed with a final transcript and a new one begun. Default 30 s.</summary>
    public TimeSpan MaxUtterance { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Full path of <paramref name="file"/>, which may be relative to <see cref="ModelDirectory"/>.</summary>
    internal string Resolve(string file) => Path.IsPathRooted(file) ? file : Path.Combine(ModelDirectory, file);

    /// <summary>Throws naming the setting that is out of range.</summary>
    internal void Validate()
    {
        if (WarmDecoders < 0)
        {
            throw new ArgumentOutOfRangeException($"{Section}:{nameof(WarmDecoders)}", WarmDecoders, "must be 0 or more.");
        }

        if (InterimInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException($"{Section}:{nameof(InterimInterval)}", InterimInterval, "must not be negative.");
        }

        if (TargetSpeechLevelDbfs is { } target && !(target is >= -60 and <= -6))
        {
            throw new ArgumentOutOfRangeException($"{Section}:{nameof(TargetSpeechLevelDbfs)}", target, "must be between -60 and -6 dBFS.");
        }

        if (NoiseFloorDbfs is { } floor && !(floor is >= -96 and <= -30))
        {
            throw new ArgumentOutOfRangeException($"{Section}:{nameof(NoiseFloorDbfs)}", floor, "must be between -96 and -30 dBFS.");
        }

        if (!(HintWeight is >= 0 and <= 0.95))
        {
            throw new ArgumentOutOfRangeException($"{Section}:{nameof(HintWeight)}", HintWeight, "must be between 0 and 0.95.");
        }

        if (MaxUtterance <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException($"{Section}:{nameof(MaxUtterance)}", MaxUtterance, "must be positive.");
        }

        foreach (string name in DecoderArguments.Keys)
        {
            if (!name.StartsWith('-') || name is "-hmm" or "-lm" or "-dict")
            {
                throw new ArgumentException(
                    $"{Section}:{nameof(DecoderArguments)} has '{name}': names start with '-', and the model files are set by {nameof(AcousticModel)}, {nameof(LanguageModel)} and {nameof(Dictionary)}.");
            }
        }
    }
}
