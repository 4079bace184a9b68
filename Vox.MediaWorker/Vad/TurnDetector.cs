using Vox.Grains.Bots;

namespace Vox.MediaWorker.Vad;

/// <summary>
/// Decides that the caller's turn has ended once the silence after their speech has lasted the bot's end-of-turn
/// silence, from the frames of a voice activity detector.
/// </summary>
/// <remarks>
/// Silence is measured from the end of the last confirmed speech frame, not from the detector's SpeechStopped event,
/// so the decision does not depend on the detector's hangover and comes exactly <see cref="EndOfTurnSilence"/> after
/// the caller stopped (to the next whole frame). Speech confirmed with an onset inside that window resumes the turn;
/// while the detector is weighing a candidate run of speech (<see cref="VadState.Starting"/>) the decision waits, so a
/// resumption that is confirmed a few frames late still cancels it. Time comes from frame indices only.
/// Not thread-safe: one instance per call.
/// </remarks>
public sealed class TurnDetector
{
    private TimeSpan _utteranceStart;
    private TimeSpan _utteranceEnd;

    /// <summary>Creates a detector that ends a turn after <paramref name="endOfTurnSilence"/> of silence.</summary>
    public TurnDetector(TimeSpan endOfTurnSilence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(endOfTurnSilence, TimeSpan.Zero);
        EndOfTurnSilence = endOfTurnSilence;
    }

    /// <summary>Creates a detector with the bot's <see cref="TurnTakingSettings.EndOfTurnSilenceMs"/>.</summary>
    public TurnDetector(TurnTakingSettings settings)
        : this(TimeSpan.FromMilliseconds((settings ?? throw new ArgumentNullException(nameof(settings))).EndOfTurnSilenceMs))
    {
    }

    /// <summary>Silence after speech that ends the turn.</summary>
    public TimeSpan EndOfTurnSilence { get; }

    /// <summary>Whether the caller has spoken since the last end of turn (a turn is open).</summary>
    public bool InTurn { get; private set; }

    /// <summary>Feeds one detector frame; returns the end of turn on the frame that decides it, otherwise null.</summary>
    public EndOfTurn? Process(in VadFrameResult frame)
    {
        if (!InTurn)
        {
            // Speech can also resume without a SpeechStarted when the detector's hangover outlasts the end-of-turn silence.
            if (frame.Event != VadEvent.SpeechStarted && frame.State != VadState.Speaking)
            {
                return null;
            }

            InTurn = true;
            _utteranceStart = frame.Event == VadEvent.SpeechStarted ? frame.EventTime : frame.Start;
        }

        if (frame.State == VadState.Speaking)
        {
            _utteranceEnd = frame.End;
            return null;
        }

        if (frame.State == VadState.Starting || frame.End - _utteranceEnd < EndOfTurnSilence)
        {
            return null;
        }

        InTurn = false;
        return new EndOfTurn(_utteranceStart, _utteranceEnd, frame.End);
    }

    /// <summary>Forgets any open turn, e.g. when the bot takes the turn by itself.</summary>
    public void Reset() => InTurn = false;
}
