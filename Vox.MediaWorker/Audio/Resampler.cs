using System.Numerics;

namespace Vox.MediaWorker.Audio;

/// <summary>
/// Streaming sample-rate converter for mono PCM16 (8, 16, 24, 48 kHz and other rational ratios) using a
/// Kaiser-windowed-sinc polyphase FIR low-pass.
/// </summary>
/// <remarks>
/// The prototype filter runs at L x input rate (L/M being the reduced rate ratio) with its passband up to 85%
/// and its stopband (80 dB down) from 100% of the lower of the two Nyquist frequencies, so downsampling folds
/// nothing back into the band and upsampling leaves no images; 0.85 x 4 kHz still covers the 3.4 kHz telephone
/// band. State carries across <see cref="Process"/> calls, so any chunking yields the same samples as a single
/// call. Output lags input by <see cref="GroupDelay"/>. Not thread-safe: use one instance per stream.
/// </remarks>
public sealed class Resampler
{
    private const double StopbandAttenuationDb = 80;
    private const double PassbandEdge = 0.85;
    private const int MaxRatioTerm = 1024;
    private const int BlockSize = 1024;

    // Rounding taps up to a multiple of the widest common SIMD width keeps the dot product free of a scalar tail.
    private const int TapAlignment = 8;

    private readonly int _up;
    private readonly int _down;
    private readonly int _taps;
    private readonly float[] _coefficients;
    private readonly float[] _history;
    private readonly double _delayPrototypeSamples;

    // _history[0.._filled) holds the most recent input; _next is the index of the newest sample the next output
    // needs and _phase which of the _up polyphase branches computes it.
    private int _filled;
    private int _next;
    private int _phase;

    /// <summary>Designs the filter for converting <paramref name="inputSampleRate"/> to <paramref name="outputSampleRate"/>.</summary>
    public Resampler(int inputSampleRate, int outputSampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSampleRate);

        int divisor = GreatestCommonDivisor(inputSampleRate, outputSampleRate);
        _up = outputSampleRate / divisor;
        _down = inputSampleRate / divisor;
        if (Math.Max(_up, _down) > MaxRatioTerm)
        {
            throw new ArgumentException(
                $"Converting {inputSampleRate} Hz to {outputSampleRate} Hz needs a {_up}/{_down} ratio; terms above {MaxRatioTerm} are not supported.",
                nameof(outputSampleRate));
        }

        InputSampleRate = inputSampleRate;
        OutputSampleRate = outputSampleRate;

        if (_up == 1 && _down == 1)
        {
            _taps = 1;
            _coefficients = [1f];
            _history = [];
            return;
        }

        double prototypeRate = (double)_up * inputSampleRate;
        double lowerNyquist = Math.Min(inputSampleRate, outputSampleRate) / 2.0;
        double transition = (1 - PassbandEdge) * lowerNyquist / prototypeRate;
        double cutoff = (1 + PassbandEdge) / 2 * lowerNyquist / prototypeRate;

        // Kaiser's estimate of the length that reaches the attenuation across the transition band.
        int length = (int)Math.Ceiling((StopbandAttenuationDb - 7.95) / (2.285 * 2 * Math.PI * transition)) + 1;
        int taps = Math.Max((length + _up - 1) / _up, (_down + _up - 1) / _up + 1);
        _taps = (taps + TapAlignment - 1) / TapAlignment * TapAlignment;

        _coefficients = DesignPolyphase(_up, _taps, cutoff);
        _delayPrototypeSamples = (_taps * _up - 1) / 2.0;
        _history = new float[_taps - 1 + BlockSize];
        Reset();
    }

    /// <summary>Input samples per second.</summary>
    public int InputSampleRate { get; }

    /// <summary>Output samples per second.</summary>
    public int OutputSampleRate { get; }

    /// <summary>Filter taps evaluated per output sample (the cost per output sample in multiply-adds).</summary>
    public int TapsPerPhase => _taps;

    /// <summary>How far the output lags the input, in output samples (may be fractional); subtract it to align streams.</summary>
    public double GroupDelaySamples => _delayPrototypeSamples / _down;

    /// <summary>How far the output lags the input in time (the filter is linear-phase, so this holds at every frequency).</summary>
    public TimeSpan GroupDelay => TimeSpan.FromSeconds(_delayPrototypeSamples / ((double)_up * InputSampleRate));

    /// <summary>An output buffer of this many samples always suffices for <paramref name="inputLength"/> input samples.</summary>
    public int GetMaxOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return checked((int)(((long)inputLength * _up + _down - 1) / _down));
    }

    /// <summary>Exactly how many samples the next <see cref="Process"/> call with <paramref name="inputLength"/> samples will write.</summary>
    public int GetOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        if (IsPassthrough)
        {
            return inputLength;
        }

        // Outputs are due while their newest input index stays below what will have been received.
        long available = (long)_filled + inputLength - _next;
        return available <= 0 ? 0 : checked((int)((available * _up - _phase + _down - 1) / _down));
    }

    /// <summary>Converts the next chunk of the stream; returns the number of samples written to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than <see cref="GetOutputLength"/>.</exception>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int expected = GetOutputLength(input.Length);
        if (output.Length < expected)
        {
            throw new ArgumentException($"Output holds {output.Length} samples but this chunk produces {expected}.", nameof(output));
        }

        if (IsPassthrough)
        {
            input.CopyTo(output);
            return input.Length;
        }

        int written = 0;
        while (!input.IsEmpty)
        {
            int count = Math.Min(input.Length, _history.Length - _filled);
            Span<float> target = _history.AsSpan(_filled, count);
            for (int i = 0; i < count; i++)
            {
                target[i] = input[i];
            }

            _filled += count;
            input = input[count..];
            written += Drain(output[written..]);
        }

        return written;
    }

    /// <summary>Pushes the samples still inside the filter out by feeding silence, then resets for a new stream.</summary>
    /// <returns>The number of samples written; <paramref name="output"/> needs <see cref="FlushLength"/> samples.</returns>
    public int Flush(Span<short> output)
    {
        if (IsPassthrough)
        {
            return 0;
        }

        int zeros = FlushInputLength;
        int expected = GetOutputLength(zeros);
        if (output.Length < expected)
        {
            throw new ArgumentException($"Output holds {output.Length} samples but flushing produces {expected}.", nameof(output));
        }

        int written = 0;
        while (zeros > 0)
        {
            int count = Math.Min(zeros, _history.Length - _filled);
            _history.AsSpan(_filled, count).Clear();
            _filled += count;
            zeros -= count;
            written += Drain(output[written..]);
        }

        Reset();
        return written;
    }

    /// <summary>Upper bound of what <see cref="Flush"/> writes: the group delay in output samples, rounded up.</summary>
    public int FlushLength => IsPassthrough ? 0 : GetMaxOutputLength(FlushInputLength);

    /// <summary>Forgets the stream so far, as if newly constructed.</summary>
    public void Reset()
    {
        if (IsPassthrough)
        {
            return;
        }

        // Priming with silence makes the first output correspond to input time zero, as the group delay assumes.
        _history.AsSpan().Clear();
        _filled = _taps - 1;
        _next = _taps - 1;
        _phase = 0;
    }

    private bool IsPassthrough => _up == 1 && _down == 1;

    private int FlushInputLength => (int)Math.Ceiling(_delayPrototypeSamples / _up);

    private int Drain(Span<short> output)
    {
        int written = 0;
        ReadOnlySpan<float> history = _history;
        ReadOnlySpan<float> coefficients = _coefficients;
        while (_next < _filled)
        {
            float value = Dot(coefficients.Slice(_phase * _taps, _taps), history.Slice(_next - _taps + 1, _taps));
            output[written++] = (short)Math.Clamp((int)MathF.Round(value), short.MinValue, short.MaxValue);

            _phase += _down;
            _next += _phase / _up;
            _phase %= _up;
        }

        // Keep only the taps - 1 samples the next output can still reach, so the block area is free again.
        int keepFrom = _next - (_taps - 1);
        if (keepFrom > 0)
        {
            _history.AsSpan(keepFrom, _filled - keepFrom).CopyTo(_history);
            _filled -= keepFrom;
            _next -= keepFrom;
        }

        return written;
    }

    private static float Dot(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && left.Length >= Vector<float>.Count)
        {
            Vector<float> accumulator = Vector<float>.Zero;
            for (; i <= left.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                accumulator += new Vector<float>(left[i..]) * new Vector<float>(right[i..]);
            }

            sum = Vector.Sum(accumulator);
        }

        for (; i < left.Length; i++)
        {
            sum += left[i] * right[i];
        }

        return sum;
    }

    // Returns phases x taps coefficients; each phase is stored oldest-sample-first so it lines up with the history,
    // and is scaled to unit DC gain so a constant input stays exactly constant whatever the phase.
    private static float[] DesignPolyphase(int phases, int taps, double cutoff)
    {
        int length = phases * taps;
        double centre = (length - 1) / 2.0;
        double beta = 0.1102 * (StopbandAttenuationDb - 8.7);
        double windowScale = 1 / BesselI0(beta);

        var prototype = new double[length];
        for (int n = 0; n < length; n++)
        {
            double offset = n - centre;
            double ratio = offset / centre;
            double window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - ratio * ratio))) * windowScale;
            prototype[n] = 2 * cutoff * Sinc(2 * cutoff * offset) * window;
        }

        var coefficients = new float[length];
        for (int phase = 0; phase < phases; phase++)
        {
            double sum = 0;
            for (int j = 0; j < taps; j++)
            {
                sum += prototype[phase + j * phases];
            }

            for (int j = 0; j < taps; j++)
            {
                coefficients[phase * taps + (taps - 1 - j)] = (float)(prototype[phase + j * phases] / sum);
            }
        }

        return coefficients;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    // Zeroth-order modified Bessel function of the first kind, by its power series (converges fast for beta < 10).
    private static double BesselI0(double x)
    {
        double sum = 1;
        double term = 1;
        double half = x / 2;
        for (int k = 1; k < 64 && term > 1e-12 * sum; k++)
        {
            term *= half / k * (half / k);
            sum += term;
        }

        return sum;
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
