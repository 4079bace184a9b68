namespace Vox.MediaWorker.Vad;

/// <summary>
/// Tracks the noise power in each of a few frequency bands: minimum statistics (Martin, 2001) over a sliding window
/// of smoothed band powers tells which bands hold more than noise, and the bands that do not are averaged into the
/// estimate (in the spirit of Cohen's MCRA).
/// </summary>
/// <remarks>
/// The minimum needs no speech/non-speech decision, so the estimate cannot lock onto speech; it rises to a louder noise
/// within one window and follows a quieter one within one sub-window. Allocation-free after construction.
/// </remarks>
internal sealed class NoiseTracker
{
    // Light smoothing before the minimum search lowers its variance so its bias stays small.
    private const double SmoothingAlpha = 0.7;

    // A band whose smoothed power is more than 6 dB above its window minimum holds more than noise.
    private const double PresenceRatio = 4.0;

    // Averaging time constant of the estimate in noise-only bands: about 20 frames (0.4 s).
    private const double NoiseAlpha = 0.95;

    // Share of the decibel gap closed per frame when a band above the minimum is known to be noise: 90% within 22 frames.
    private const double NoiseLearningRate = 0.1;

    // The window is searched as eight sub-windows, so the minimum of a quieter noise shows within an eighth of the window.
    private const int SubWindows = 8;

    private readonly int _channels;
    private readonly int _subWindowFrames;
    private readonly double[] _smoothed;
    private readonly double[] _currentMin;
    private readonly double[] _storedMinima;
    private readonly double[] _storedMin;
    private readonly double[] _noise;
    private int _framesInSubWindow;
    private int _nextSubWindow;
    private long _frames;

    /// <summary>Creates a tracker for <paramref name="channels"/> bands with a minimum-search window of <paramref name="windowFrames"/>.</summary>
    public NoiseTracker(int channels, int windowFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        _channels = channels;
        _subWindowFrames = Math.Max(1, (int)Math.Ceiling(windowFrames / (double)SubWindows));
        _smoothed = new double[channels];
        _currentMin = new double[channels];
        _storedMinima = new double[channels * SubWindows];
        _storedMin = new double[channels];
        _noise = new double[channels];
        Reset();
    }

    /// <summary>The noise power estimate per channel.</summary>
    public ReadOnlySpan<double> Noise => _noise;

    /// <summary>Frames seen since the last reset.</summary>
    public long Frames => _frames;

    /// <summary>Adds one frame of band powers; <paramref name="isNoise"/> marks a frame known to be noise, learned even when
    /// it is louder than the window minimum allows (a noise that has just begun).</summary>
    public void Update(ReadOnlySpan<double> power, bool isNoise)
    {
        if (power.Length != _channels)
        {
            throw new ArgumentException($"Expected {_channels} band powers, got {power.Length}.", nameof(power));
        }

        // Until the averaging constant is reached the estimate is the plain mean of the frames seen, so it settles fast.
        double alpha = Math.Min(NoiseAlpha, _frames / (_frames + 1.0));
        bool first = _frames == 0;
        for (int k = 0; k < _channels; k++)
        {
            double p = power[k];
            double s = first ? p : (SmoothingAlpha * _smoothed[k]) + ((1 - SmoothingAlpha) * p);
            _smoothed[k] = s;
            _currentMin[k] = first ? s : Math.Min(_currentMin[k], s);
            double windowMin = Math.Min(_currentMin[k], _storedMin[k]);
            double ceiling = PresenceRatio * windowMin;
            if (first)
            {
                _noise[k] = p;
            }
            else if (s <= ceiling)
            {
                _noise[k] = (alpha * _noise[k]) + ((1 - alpha) * p);
            }
            else if (isNoise)
            {
                // A geometric step moves a fixed share of the gap in decibels, so a loud frame wrongly taken for noise
                // raises the estimate by a bounded amount instead of dominating a linear average.
                _noise[k] *= Math.Pow(p / _noise[k], NoiseLearningRate);
            }

            // After the noise drops, the estimate comes down with the minimum instead of at the averaging rate.
            if (s <= ceiling && _noise[k] > ceiling)
            {
                _noise[k] = ceiling;
            }
        }

        _frames++;
        if (++_framesInSubWindow >= _subWindowFrames)
        {
            EndSubWindow();
        }
    }

    /// <summary>Forgets everything, as for a new stream; the next frame initialises the estimate.</summary>
    public void Reset()
    {
        Array.Fill(_storedMinima, double.MaxValue);
        Array.Fill(_storedMin, double.MaxValue);
        Array.Clear(_smoothed);
        Array.Clear(_currentMin);
        Array.Clear(_noise);
        _framesInSubWindow = 0;
        _nextSubWindow = 0;
        _frames = 0;
    }

    private void EndSubWindow()
    {
        _currentMin.CopyTo(_storedMinima.AsSpan(_nextSubWindow * _channels, _channels));
        _nextSubWindow = (_nextSubWindow + 1) % SubWindows;
        _framesInSubWindow = 0;
        for (int k = 0; k < _channels; k++)
        {
            double min = double.MaxValue;
            for (int w = 0; w < SubWindows; w++)
            {
                min = Math.Min(min, _storedMinima[(w * _channels) + k]);
            }

            _storedMin[k] = min;
            _currentMin[k] = _smoothed[k];
        }
    }
}
