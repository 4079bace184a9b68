namespace Vox.MediaWorker.Providers.Stt.Offline;

/// <summary>
/// Streaming gain control that brings the active speech level to a target, so a loud or quiet line looks to the
/// recogniser like the speech its acoustic model was normalised on.
/// </summary>
/// <remarks>
/// pocketsphinx removes the cepstral mean with a prior (<c>-cmninit</c>) that it only re-estimates when an utterance
/// ends or after 8 s, so the first turn of a call is decoded against that prior; the first cepstral coefficient is the
/// log energy, which makes the input level matter. Speech is a 10 ms frame at least <see cref="SpeechAboveNoiseDb"/>
/// above the noise floor (the quietest recent frame level, rising at most <see cref="FloorRiseDbPerSecond"/>) and above
/// <see cref="ActivityThresholdDbfs"/>; the level is the mean power of speech frames (a running mean over the first half
/// second of speech, then an exponential one with that time constant). The gain follows it, limited to
/// <see cref="MaxBoostDb"/> up and <see cref="MaxCutDb"/> down, and moves linearly across each frame so it never steps.
/// Not thread-safe: one instance per stream.
/// </remarks>
internal sealed class SpeechLevelNormalizer
{
    /// <summary>Frames quieter than this are not speech and do not move the level.</summary>
    public const double ActivityThresholdDbfs = -55;

    /// <summary>How far above the noise floor a frame must be to count as speech.</summary>
    public const double SpeechAboveNoiseDb = 12;

    /// <summary>How fast the noise floor may rise, so it follows a line getting noisier without climbing onto speech.</summary>
    public const double FloorRiseDbPerSecond = 3;

    /// <summary>Most the gain raises quiet speech.</summary>
    public const double MaxBoostDb = 20;

    /// <summary>Most the gain lowers loud speech.</summary>
    public const double MaxCutDb = 30;

    private const double FullScalePower = 32768.0 * 32768.0;
    private const int AveragingFrames = 50;

    private readonly int _frameLength;
    private readonly double _targetPower;
    private readonly double _thresholdPower;
    private readonly double _floorRisePerFrame;
    private readonly short[] _frame;
    private int _filled;
    private double _floorDb = double.NaN;
    private double _level;
    private int _activeFrames;
    private double _gain = 1;

    /// <summary>Creates the normaliser for a stream at <paramref name="sampleRate"/>.</summary>
    public SpeechLevelNormalizer(int sampleRate, double targetDbfs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        _frameLength = Math.Max(1, sampleRate / 100);
        _frame = new short[_frameLength];
        _targetPower = FullScalePower * Math.Pow(10, targetDbfs / 10);
        _thresholdPower = FullScalePower * Math.Pow(10, ActivityThresholdDbfs / 10);
        _floorRisePerFrame = FloorRiseDbPerSecond * _frameLength / sampleRate;
    }

    /// <summary>Samples held back until their frame is complete (less than 10 ms).</summary>
    public int Pending => _filled;

    /// <summary>Appends <paramref name="input"/> and writes each completed frame, scaled, to <paramref name="output"/>.</summary>
    /// <returns>Samples written: whole frames, so up to <c>input.Length + Pending</c> (the output needs that room).</returns>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int written = 0;
        while (!input.IsEmpty)
        {
            int take = Math.Min(input.Length, _frameLength - _filled);
            input[..take].CopyTo(_frame.AsSpan(_filled));
            _filled += take;
            input = input[take..];
            if (_filled == _frameLength)
            {
                Scale(output.Slice(written, _frameLength));
                written += _frameLength;
                _filled = 0;
            }
        }

        return written;
    }

    private void Scale(Span<short> output)
    {
        double power = 0;
        foreach (short sample in _frame)
        {
            power += (double)sample * sample;
        }

        power /= _frameLength;
        double powerDb = 10 * Math.Log10(Math.Max(power, 1e-3));
        _floorDb = double.IsNaN(_floorDb) ? powerDb : Math.Min(powerDb, _floorDb + _floorRisePerFrame);
        if (power > _thresholdPower && powerDb > _floorDb + SpeechAboveNoiseDb)
        {
            _activeFrames++;
            _level += (power - _level) / Math.Min(_activeFrames, AveragingFrames);
        }

        double target = _activeFrames == 0 ? _gain : Math.Clamp(
            Math.Sqrt(_targetPower / _level), Math.Pow(10, -MaxCutDb / 20), Math.Pow(10, MaxBoostDb / 20));
        for (int i = 0; i < _frameLength; i++)
        {
            double gain = _gain + (target - _gain) * (i + 1) / _frameLength;
            output[i] = (short)Math.Clamp(Math.Round(_frame[i] * gain), short.MinValue, short.MaxValue);
        }

        _gain = target;
    }
}
