using System.Runtime.InteropServices;
using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Vad;

/// <summary>
/// Classical voice activity detector for 20 ms frames of mono PCM16 at 8 or 16 kHz: the frame's SNR against an adaptive
/// per-band noise floor and the shape of its spectrum combined into a speech score, debounced by a
/// <see cref="VadStateMachine"/> into SpeechStarted and SpeechStopped events.
/// </summary>
/// <remarks>
/// Each frame is analysed with a 32 ms Hann window (the frame and the tail of the one before) and an FFT with 31.25 Hz
/// bins at both rates, over the telephone band only, so the detector behaves the same at 8 and 16 kHz. The score is
/// high only when the frame stands out of the noise floor (<see cref="VadFeatures.BandSnrDb"/>, <see cref="VadFeatures.SnrDb"/>)
/// and its spectrum has structure (<see cref="VadFeatures.Flatness"/>): a noise-like frame scores below the start
/// threshold however loud it is, so a noise the floor has not yet learned cannot start speech, though it can keep speech
/// going as unvoiced sounds must. See <c>docs/vad.md</c> for the design and its measured accuracy.
/// <see cref="Process(ReadOnlySpan{short})"/> does not allocate. Deterministic: the same audio always yields the same
/// scores and events. Not thread-safe: one instance per audio stream.
/// </remarks>
public sealed class VoiceActivityDetector
{
    private const double SpeechBandLowHz = 300;
    private const double SpeechBandHighHz = 3400;
    private const double BandSnrCapDb = 30;

    // Power of one bin at -120 dBFS keeps logarithms finite on digital silence.
    private const double PowerEpsilon = 1e-12;

    // The SNR evidence is the mean of the band SNR (speech spread over the band) and the whole-band SNR (speech in a few
    // bands, like a low voiced tail). Stationary noise stays under 3.5 dB on the fixtures, where the score is one half.
    private const double SnrMidpointDb = 3.5;
    private const double SnrSlopeDb = 0.7;

    // Detrended flatness of noise is 0.57 +- 0.05 and of voiced speech 0.02-0.2; below 0.4 the frame looks like speech.
    private const double FlatnessMidpoint = 0.4;
    private const double FlatnessSlope = 0.03;

    // The most a noise-like frame can score: below the default start threshold, above the default stop threshold.
    private const double NoiseLikeMaxScore = 0.55;

    // Outside speech, this long a run of noise-like frames is background to learn at once (see NoiseTracker).
    private const double NoiseLikeFlatness = 0.45;
    private const int NoiseLikeFrames = 10;

    // Critical-band (Bark) edges covering the telephone band; the same bands at both rates keep the score comparable.
    private static ReadOnlySpan<double> BandEdgesHz => [200, 300, 400, 510, 630, 770, 920, 1080, 1270, 1480, 1720, 2000, 2320, 2700, 3150, 3700];

    private readonly VadStateMachine _stateMachine;
    private readonly NoiseTracker _noise;
    private readonly Fft _fft;
    private readonly int _fftSize;
    private readonly double _powerScale;
    private readonly double[] _window;
    private readonly double[] _history;
    private readonly double[] _real;
    private readonly double[] _imaginary;
    private readonly double[] _power;
    private readonly double[] _logPower;
    private readonly double[] _bandPower;
    private readonly int[] _bandStartBin;
    private readonly int _flatLowBin;
    private readonly int _flatHighBin;
    private readonly double[] _logBin;
    private readonly double _sumLogBin;
    private readonly double _logBinScatter;
    private readonly short[] _byteFrame;
    private int _noiseLikeFrames;

    /// <summary>Creates a detector for mono PCM16 at <paramref name="sampleRate"/> (8000 or 16000 Hz).</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names each bad key.</exception>
    public VoiceActivityDetector(int sampleRate, VadOptions? options = null)
    {
        if (sampleRate is not (8000 or 16000))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The detector takes 8000 or 16000 Hz; resample other rates first (see Resampler).");
        }

        Options = options ?? new VadOptions();
        _stateMachine = new VadStateMachine(Options);
        SampleRate = sampleRate;
        SamplesPerFrame = Pcm16.SamplesPerFrame(sampleRate, VadStateMachine.FrameDuration);

        _fftSize = sampleRate == 8000 ? 256 : 512;
        _fft = new Fft(_fftSize);
        _window = new double[_fftSize];
        double windowEnergy = 0;
        for (int i = 0; i < _fftSize; i++)
        {
            _window[i] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / _fftSize));
            windowEnergy += _window[i] * _window[i];
        }

        // Scaled so the one-sided bins sum to the mean square of the windowed signal (Parseval), in full-scale units.
        _powerScale = 2.0 / (_fftSize * windowEnergy);
        _history = new double[_fftSize];
        _real = new double[_fftSize];
        _imaginary = new double[_fftSize];
        _power = new double[(_fftSize / 2) + 1];
        _logPower = new double[_power.Length];

        ReadOnlySpan<double> edges = BandEdgesHz;
        _bandStartBin = new int[edges.Length];
        for (int i = 0; i < edges.Length; i++)
        {
            _bandStartBin[i] = ToBin(edges[i]);
        }

        _bandPower = new double[edges.Length - 1];

        // Regression abscissae for the detrended flatness: log frequency, so power-law spectra are straight lines.
        _flatLowBin = ToBin(SpeechBandLowHz);
        _flatHighBin = ToBin(SpeechBandHighHz);
        _logBin = new double[_power.Length];
        for (int k = _flatLowBin; k < _flatHighBin; k++)
        {
            _logBin[k] = Math.Log(k);
            _sumLogBin += _logBin[k];
        }

        double meanLogBin = _sumLogBin / (_flatHighBin - _flatLowBin);
        for (int k = _flatLowBin; k < _flatHighBin; k++)
        {
            _logBinScatter += (_logBin[k] - meanLogBin) * (_logBin[k] - meanLogBin);
        }

        int windowFrames = (int)Math.Ceiling(Options.NoiseFloorWindowMs / VadStateMachine.FrameDuration.TotalMilliseconds);
        _noise = new NoiseTracker(_bandPower.Length, windowFrames);
        _byteFrame = new short[SamplesPerFrame];
    }

    /// <summary>The options in force.</summary>
    public VadOptions Options { get; }

    /// <summary>Samples per second of the input.</summary>
    public int SampleRate { get; }

    /// <summary>Samples in one 20 ms frame (160 at 8 kHz, 320 at 16 kHz).</summary>
    public int SamplesPerFrame { get; }

    /// <summary>The state after the last frame.</summary>
    public VadState State => _stateMachine.State;

    /// <summary>The measurements behind the last frame's score.</summary>
    public VadFeatures LastFeatures { get; private set; }

    /// <summary>Scores one 20 ms frame of samples and advances the speech state.</summary>
    /// <exception cref="ArgumentException">The frame is not exactly <see cref="SamplesPerFrame"/> samples.</exception>
    public VadFrameResult Process(ReadOnlySpan<short> frame)
    {
        if (frame.Length != SamplesPerFrame)
        {
            throw new ArgumentException($"A 20 ms frame at {SampleRate} Hz is {SamplesPerFrame} samples, got {frame.Length}.", nameof(frame));
        }

        VadFeatures features = Analyze(frame);
        LastFeatures = features;
        VadFrameResult result = _stateMachine.Process(Score(features, Options.MinSpeechDbfs));

        // Noise-like frames outside speech for a while are background that has just begun or grown louder; telling the
        // tracker so learns it in about half a second instead of one minimum-statistics window.
        _noiseLikeFrames = !result.InSpeech && features.Flatness >= NoiseLikeFlatness ? _noiseLikeFrames + 1 : 0;
        _noise.Update(_bandPower, isNoise: _noiseLikeFrames >= NoiseLikeFrames);
        return result;
    }

    /// <summary>Scores one 20 ms frame of little-endian PCM16 bytes and advances the speech state.</summary>
    /// <exception cref="ArgumentException">The frame is not exactly 2 x <see cref="SamplesPerFrame"/> bytes.</exception>
    public VadFrameResult Process(ReadOnlySpan<byte> pcm)
    {
        if (pcm.Length != SamplesPerFrame * 2)
        {
            throw new ArgumentException($"A 20 ms PCM16 frame at {SampleRate} Hz is {SamplesPerFrame * 2} bytes, got {pcm.Length}.", nameof(pcm));
        }

        if (BitConverter.IsLittleEndian)
        {
            return Process(MemoryMarshal.Cast<byte, short>(pcm));
        }

        Pcm16.BytesToSamples(pcm, _byteFrame);
        return Process(_byteFrame);
    }

    /// <summary>Forgets the noise floor and the speech state, as for a new stream.</summary>
    public void Reset()
    {
        _stateMachine.Reset();
        _noise.Reset();
        Array.Clear(_history);
        _noiseLikeFrames = 0;
        LastFeatures = default;
    }

    /// <summary>The speech score of a frame with these measurements: SNR evidence times a factor that only a structured
    /// (non-flat) spectrum lifts above <see cref="NoiseLikeMaxScore"/>; zero below the absolute level gate.</summary>
    internal static double Score(in VadFeatures features, double minSpeechDbfs)
    {
        if (!(features.EnergyDbfs >= minSpeechDbfs))
        {
            return 0;
        }

        double snrDb = (features.BandSnrDb + features.SnrDb) / 2;
        double snr = Logistic((snrDb - SnrMidpointDb) / SnrSlopeDb);
        double structured = Logistic((FlatnessMidpoint - features.Flatness) / FlatnessSlope);
        return snr * (NoiseLikeMaxScore + ((1 - NoiseLikeMaxScore) * structured));
    }

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    private VadFeatures Analyze(ReadOnlySpan<short> frame)
    {
        int hop = frame.Length;
        int kept = _fftSize - hop;
        Array.Copy(_history, hop, _history, 0, kept);
        for (int i = 0; i < hop; i++)
        {
            _history[kept + i] = frame[i] / Pcm16.FullScale;
        }

        double mean = 0;
        for (int i = 0; i < _fftSize; i++)
        {
            mean += _history[i];
        }

        mean /= _fftSize;
        for (int i = 0; i < _fftSize; i++)
        {
            _real[i] = (_history[i] - mean) * _window[i];
            _imaginary[i] = 0;
        }

        _fft.Forward(_real, _imaginary);
        for (int k = 0; k < _power.Length; k++)
        {
            _power[k] = (((_real[k] * _real[k]) + (_imaginary[k] * _imaginary[k])) * _powerScale) + PowerEpsilon;
        }

        // The SNRs are taken against the floor before this frame joins it, so a frame is never compared with itself;
        // the very first frame has no floor and counts as noise.
        ReadOnlySpan<double> noise = _noise.Noise;
        bool hasFloor = _noise.Frames > 0;
        double bandSnrDb = 0;
        double framePower = 0;
        double noisePower = 0;
        for (int band = 0; band < _bandPower.Length; band++)
        {
            double power = 0;
            for (int k = _bandStartBin[band]; k < _bandStartBin[band + 1]; k++)
            {
                power += _power[k];
            }

            _bandPower[band] = power;
            double floor = hasFloor ? noise[band] : power;
            framePower += power;
            noisePower += floor;
            bandSnrDb += Math.Clamp(10 * Math.Log10(power / floor), 0, BandSnrCapDb);
        }

        return new VadFeatures(
            Pcm16.Dbfs(frame),
            10 * Math.Log10(noisePower),
            10 * Math.Log10(framePower / noisePower),
            bandSnrDb / _bandPower.Length,
            DetrendedFlatness());
    }

    // Spectral flatness (geometric over arithmetic mean) of the 300-3400 Hz log spectrum minus its least-squares line
    // against log frequency: any power-law noise (white, pink, brown) reads as flat, near 0.57, whatever its tilt, while
    // formants and harmonics of speech do not. Plain flatness would call brown noise speech-like.
    private double DetrendedFlatness()
    {
        int bins = _flatHighBin - _flatLowBin;
        double sumLog = 0;
        double sumLogByLogBin = 0;
        for (int k = _flatLowBin; k < _flatHighBin; k++)
        {
            double logPower = Math.Log(_power[k]);
            _logPower[k] = logPower;
            sumLog += logPower;
            sumLogByLogBin += _logBin[k] * logPower;
        }

        double slope = (sumLogByLogBin - (_sumLogBin * sumLog / bins)) / _logBinScatter;
        double intercept = (sumLog - (slope * _sumLogBin)) / bins;

        // The residuals have zero mean, so their geometric mean is 1 and the flatness is the reciprocal of the arithmetic mean.
        double sumResidual = 0;
        for (int k = _flatLowBin; k < _flatHighBin; k++)
        {
            sumResidual += Math.Exp(_logPower[k] - intercept - (slope * _logBin[k]));
        }

        return bins / sumResidual;
    }

    private int ToBin(double hz) => (int)Math.Ceiling(hz * _fftSize / SampleRate);
}
