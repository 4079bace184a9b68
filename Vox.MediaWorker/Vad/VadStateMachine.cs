using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Vad;

/// <summary>
/// Turns per-frame speech scores into debounced speech events: hysteresis between a start and a stop threshold,
/// a minimum speech duration before speech starts and a minimum silence (hangover) before it stops.
/// </summary>
/// <remarks>
/// Speech starts once consecutive frames scoring at least <see cref="VadOptions.StartThreshold"/> have lasted
/// <see cref="VadOptions.MinSpeechMs"/>; one frame below the start threshold breaks the run, so isolated noise frames
/// that score high cannot add up to speech. The onset is the first frame of that confirming run, extended back over the
/// frames just before it that scored at least the stop threshold (by at most <see cref="VadOptions.OnsetLookbackMs"/>),
/// so weak, noise-like onsets such as /h/ or /s/ are dated where they begin. In speech, a frame below the stop threshold
/// begins the hangover; after <see cref="VadOptions.MinSilenceMs"/> of such frames speech stops, dated to the end of the
/// last speech frame. Time is counted in frames, never read from a clock, so the same scores always give the same
/// events. Independent of how the score is computed, so any scorer can drive it. Not thread-safe: one instance per stream.
/// </remarks>
public sealed class VadStateMachine
{
    private readonly double _startThreshold;
    private readonly double _stopThreshold;
    private readonly int _minSpeechFrames;
    private readonly int _minSilenceFrames;
    private readonly int _onsetLookbackFrames;

    private long _frameIndex;
    private long _runStartFrame;
    private long _leadStartFrame = -1;
    private int _silentFrames;
    private long _lastSpeechFrame = -1;

    /// <summary>Creates a state machine with the thresholds and durations of <paramref name="options"/> (defaults when null).</summary>
    public VadStateMachine(VadOptions? options = null)
    {
        options ??= new VadOptions();
        VadOptionsValidator.ThrowIfInvalid(options, nameof(options));
        _startThreshold = options.StartThreshold;
        _stopThreshold = options.StopThreshold;
        _minSpeechFrames = ToFrames(options.MinSpeechMs);
        _minSilenceFrames = ToFrames(options.MinSilenceMs);
        _onsetLookbackFrames = (int)Math.Ceiling(options.OnsetLookbackMs / FrameDuration.TotalMilliseconds);
    }

    /// <summary>Length of one frame: every frame fed in is taken to be this long.</summary>
    public static TimeSpan FrameDuration => AudioFormat.FrameDuration;

    /// <summary>The state after the last frame.</summary>
    public VadState State { get; private set; }

    /// <summary>Frames processed since creation or the last <see cref="Reset"/>.</summary>
    public long FrameCount => _frameIndex;

    /// <summary>End of the last frame counted as confirmed speech; null before any.</summary>
    public TimeSpan? LastSpeechEnd => _lastSpeechFrame < 0 ? null : FrameStart(_lastSpeechFrame + 1);

    /// <summary>Advances one frame with its speech score (clamped to [0, 1]; NaN counts as 0).</summary>
    public VadFrameResult Process(double score)
    {
        score = double.IsNaN(score) ? 0 : Math.Clamp(score, 0, 1);
        long frame = _frameIndex++;
        VadEvent vadEvent = VadEvent.None;
        TimeSpan eventTime = TimeSpan.Zero;
        bool isSpeech;

        switch (State)
        {
            case VadState.Silence:
            case VadState.Starting:
                if (score < _stopThreshold)
                {
                    _leadStartFrame = -1;
                }
                else if (_leadStartFrame < 0)
                {
                    _leadStartFrame = frame;
                }

                isSpeech = score >= _startThreshold;
                if (!isSpeech)
                {
                    State = VadState.Silence;
                    break;
                }

                if (State == VadState.Silence)
                {
                    _runStartFrame = frame;
                    State = VadState.Starting;
                }

                if (frame - _runStartFrame + 1 >= _minSpeechFrames)
                {
                    State = VadState.Speaking;
                    _lastSpeechFrame = frame;
                    vadEvent = VadEvent.SpeechStarted;
                    eventTime = FrameStart(Math.Max(_leadStartFrame, _runStartFrame - _onsetLookbackFrames));
                    _leadStartFrame = -1;
                }

                break;

            default:
                isSpeech = score >= _stopThreshold;
                if (isSpeech)
                {
                    State = VadState.Speaking;
                    _silentFrames = 0;
                    _lastSpeechFrame = frame;
                    break;
                }

                _silentFrames++;
                State = VadState.Stopping;
                if (_silentFrames >= _minSilenceFrames)
                {
                    State = VadState.Silence;
                    _silentFrames = 0;
                    vadEvent = VadEvent.SpeechStopped;
                    eventTime = FrameStart(_lastSpeechFrame + 1);
                }

                break;
        }

        return new VadFrameResult(frame, (float)score, isSpeech, State, vadEvent, eventTime);
    }

    /// <summary>Returns to silence at time zero, as for a new stream.</summary>
    public void Reset()
    {
        State = VadState.Silence;
        _frameIndex = 0;
        _runStartFrame = 0;
        _leadStartFrame = -1;
        _silentFrames = 0;
        _lastSpeechFrame = -1;
    }

    private static TimeSpan FrameStart(long frame) => TimeSpan.FromTicks(frame * FrameDuration.Ticks);

    // A duration shorter than one frame still needs the frame itself; partial frames round up so a bound is never undercut.
    private static int ToFrames(int milliseconds) =>
        Math.Max(1, (int)Math.Ceiling(milliseconds / FrameDuration.TotalMilliseconds));
}
