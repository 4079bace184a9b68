using System.Runtime.InteropServices;
using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Vad;

/// <summary>
/// Classical voice activity detector for 20 ms frames of mono PCM16 at 8 or 16 kHz: an adaptive per-band noise floor,
/// the frame's SNR against it and spectral shape cues combined into a speech score, debounced by a
/// <see cref="VadStateMachine"/> into SpeechStarted and SpeechStopped events.
/// </summary>
/// <remarks>
/// Each frame is analysed with a 32 ms Hann window (the frame and the tail of the one before) and an FFT with 31.25 Hz
/// bins at both rates, so every feature means the same at 8 and 16 kHz. See <c>docs/vad.md</c> for the design and
/// its measured accuracy. <see cref="Process(ReadOnlySpan{short})"/> does not allocate. Deterministic: the same audio
/// always yields the same scores and events. Not thread-safe: one instance per call direction.
/// </remarks>
public sealed class VoiceActivityDetector
{
    // Critical-band (Bark) edges covering the telephone band; the same bands at both rates keep the score comparable.
    private static ReadOnlySpan<double> BandEdgesHz => [200, 300, 400, 510, 630, 770, 920, 1080, 1270, 1480, 1720, 2000, 2320, 2700, 3150, 3700];

    private const double SpeechBandLowHz = 300;
    private const double SpeechBandHighHz = 3400;
    private const double TotalBandLowHz = 60;
    private const double BandSnrCapDb = 30;

    internal static double SnrMidpointDb = 4;
    internal static double SnrSlopeDb = 1;
    internal static double FlatnessMidpoint = 0.36;
    internal static double FlatnessSlope = 0.03;
    internal static double NoiseLikeCeiling = 0.55;

    // Power of one bin at -120 dBFS keeps logarithms finite on digital silence.
    private const double PowerEpsilon = 1e-12;

    private readonly VadStateMachine _stateMachine;
    private readonly NoiseTracker _noise;
    private readonly Fft _fft;
    private readonly double _minSpeechDbfs;
    private readonly int _fftSize;
    private readonly double[] _window;
    private readonly double[] _history;
    private readonly double[] _real;
    private readonly double[] _imaginary;
    private readonly double[] _power;
    private readonly double[] _bandPower;
    private readonly int[] _bandStartBin;
    private readonly int _speechLowBin;
    private readonly int _speechHighBin;
    private readonly int _totalLowBin;
    private readonly double _powerScale;
    private readonly short[] _byteFrame;
    private readonly double[] _logPower;
    private readonly double[] _logFrequency;
    private readonly double _sumLogFrequency;
    private readonly double _logFrequencyVariance;

    /// <summary>Creates a detector for mono PCM16 at <paramref name="sampleRate"/> (8000 or 16000 Hz).</summary>
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
        _minSpeechDbfs = Options.MinSpeechDbfs;

        _fftSize = sampleRate == 8000 ? 256 : 512;
        _fft = new Fft(_fftSize);
        _window = new double[_fftSize];
        double windowEnergy = 0;
        for (int i = 0; i < _fftSize; i++)
        {
            _window[i] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / _fftSize));
            windowEnergy += _window[i] * _window[i];
        }

        // Scaled so the bins of a frame sum to its mean square (Parseval), in full-scale units.
        _powerScale = 2.0 / (_fftSize * windowEnergy);
        _history = new double[_fftSize];
        _real = new double[_fftSize];
        _imaginary = new double[_fftSize];
        _power = new double[(_fftSize / 2) + 1];

        ReadOnlySpan<double> edges = BandEdgesHz;
        _bandStartBin = new int[edges.Length];
        for (int i = 0; i < edges.Length; i++)
        {
            _bandStartBin[i] = ToBin(edges[i]);
        }

        _bandPower = new double[edges.Length - 1];
        _speechLowBin = ToBin(SpeechBandLowHz);
        _speechHighBin = ToBin(SpeechBandHighHz);
        _totalLowBin = ToBin(TotalBandLowHz);
        _logPower = new double[_power.Length];
        _logFrequency = new double[_power.Length];
        for (int k = _speechLowBin; k < _speechHighBin; k++)
        {
            _logFrequency[k] = Math.Log(k);
            _sumLogFrequency += _logFrequency[k];
        }

        double meanLogFrequency = _sumLogFrequency / (_speechHighBin - _speechLowBin);
        for (int k = _speechLowBin; k < _speechHighBin; k++)
        {
            _logFrequencyVariance += (_logFrequency[k] - meanLogFrequency) * (_logFrequency[k] - meanLogFrequency);
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
        return _stateMachine.Process(Score(features));
    }

    /// <summary>Scores one 20 ms frame of little-endian PCM16 bytes and advances the speech state.</summary>
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
        LastFeatures = default;
    }

    internal static double Score(in VadFeatures features, double minSpeechDbfs)
    {
        if (!(features.EnergyDbfs >= minSpeechDbfs))
        {
            return 0;
        }

        double snr = Logistic((features.BandSnrDb - SnrMidpointDb) / SnrSlopeDb);
        double tonal = Logistic((FlatnessMidpoint - features.Flatness) / FlatnessSlope);
        return snr * (NoiseLikeCeiling + ((1 - NoiseLikeCeiling) * tonal));
    }

    private double Score(in VadFeatures features) => Score(features, _minSpeechDbfs);

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    private VadFeatures Analyze(ReadOnlySpan<short> frame)
    {
        int hop = frame.Length;
        int kept = _fftSize - hop;
        Array.Copy(_history, hop, _history, 0, kept);
        int crossings = 0;
        for (int i = 0; i < hop; i++)
        {
            _history[kept + i] = frame[i] / Pcm16.FullScale;
            if (i > 0 && (frame[i] < 0) != (frame[i - 1] < 0))
            {
                crossings++;
            }
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

        for (int band = 0; band < _bandPower.Length; band++)
        {
            double sum = 0;
            for (int k = _bandStartBin[band]; k < _bandStartBin[band + 1]; k++)
            {
                sum += _power[k];
            }

            _bandPower[band] = sum;
        }

        double speech = 0;
        for (int k = _speechLowBin; k < _speechHighBin; k++)
        {
            speech += _power[k];
        }

        int speechBins = _speechHighBin - _speechLowBin;

        // Detrended flatness: the log spectrum minus its least-squares line against log frequency, so any power-law
        // noise (white, pink, brown) reads as flat while formants and harmonics do not.
        double sy = 0, sxy = 0;
        for (int k = _speechLowBin; k < _speechHighBin; k++)
        {
            double y = Math.Log(_power[k]);
            _logPower[k] = y;
            sy += y;
            sxy += _logFrequency[k] * y;
        }

        double slope = (sxy - (_sumLogFrequency * sy / speechBins)) / _logFrequencyVariance;
        double intercept = (sy - (slope * _sumLogFrequency)) / speechBins;
        double expSum = 0;
        for (int k = _speechLowBin; k < _speechHighBin; k++)
        {
            expSum += Math.Exp(_logPower[k] - intercept - (slope * _logFrequency[k]));
        }

        double flatness = speechBins / expSum;
        double total = 0;
        for (int k = _totalLowBin; k < _power.Length; k++)
        {
            total += _power[k];
        }

        double energyDbfs = Pcm16.Dbfs(frame);

        // The SNR is taken against the floor before this frame joins it, so a frame is never compared with itself.
        ReadOnlySpan<double> noise = _noise.Noise;
        bool warm = _noise.Frames > 0;
        double bandSnr = 0;
        double framePower = 0;
        double noisePower = 0;
        for (int band = 0; band < _bandPower.Length; band++)
        {
            framePower += _bandPower[band];
            double n = warm ? noise[band] : _bandPower[band];
            noisePower += n;
            bandSnr += Math.Clamp(10 * Math.Log10(_bandPower[band] / n), 0, BandSnrCapDb);
        }

        bandSnr /= _bandPower.Length;
        var features = new VadFeatures(
            energyDbfs,
            10 * Math.Log10(noisePower),
            10 * Math.Log10(framePower / noisePower),
            bandSnr,
            flatness,
            speech / Math.Max(total, PowerEpsilon),
            (double)crossings / (hop - 1));

        _noise.Update(_bandPower, isNoise: false);
        return features;
    }

    private int ToBin(double hz) => (int)Math.Ceiling(hz * _fftSize / SampleRate);
}
