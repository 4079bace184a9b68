namespace Vox.MediaWorker.Vad;

/// <summary>Thresholds and durations of the voice activity detector, bound from the <c>Vad</c> configuration section.</summary>
/// <remarks>
/// Durations are rounded up to whole 20 ms frames. The defaults were tuned on the shared audio fixtures (see
/// <c>docs/vad.md</c>): onsets within 100 ms at 20 dB SNR and no triggers on digital silence or stationary pink noise.
/// </remarks>
public sealed record VadOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Vad";

    /// <summary>Score at or above which a frame can start speech. Default 0.6: above the 0.55 that a noise-like (flat
    /// spectrum) frame can score at most, so only frames with speech structure start speech.</summary>
    public double StartThreshold { get; init; } = 0.6;

    /// <summary>Score below which a frame counts as silence once speech has started; at most <see cref="StartThreshold"/>
    /// (hysteresis). Default 0.35: loud unvoiced sounds keep speech going, noise at the floor does not.</summary>
    public double StopThreshold { get; init; } = 0.35;

    /// <summary>How long a run of speech frames must last before speech is confirmed; shorter clicks and blips are ignored. Default 80 ms.</summary>
    public int MinSpeechMs { get; init; } = 80;

    /// <summary>How long silence must last before speech stops (the hangover), so pauses between words do not split speech. Default 200 ms.</summary>
    public int MinSilenceMs { get; init; } = 200;

    /// <summary>How far before the confirming run the onset may be back-dated over frames scoring at least
    /// <see cref="StopThreshold"/>: weak, noise-like onsets (/h/, /s/) that could not start speech on their own. Default 200 ms.</summary>
    public int OnsetLookbackMs { get; init; } = 200;

    /// <summary>Frames quieter than this never count as speech, whatever the noise floor: keeps digital silence, dither and
    /// comfort noise out. Default -60 dBFS, well below quiet telephone speech (about -45 dBFS).</summary>
    public double MinSpeechDbfs { get; init; } = -60;

    /// <summary>Span of the minimum-statistics window of the noise-floor tracker: a louder noise is fully learned after at most
    /// this long, and speech must pause at least once per window so it is not taken for noise. Default 2000 ms.</summary>
    public int NoiseFloorWindowMs { get; init; } = 2000;
}
