namespace Vox.MediaWorker.Vad;

/// <summary>The caller's turn has ended: when their speech began and stopped, and when the silence after it was long enough to say so.</summary>
/// <param name="UtteranceStart">Onset of the first speech of the turn.</param>
/// <param name="UtteranceEnd">End of the last speech frame of the turn: when the caller actually stopped speaking.</param>
/// <param name="DecidedAt">End of the frame on which the silence reached the end-of-turn threshold.</param>
public readonly record struct EndOfTurn(TimeSpan UtteranceStart, TimeSpan UtteranceEnd, TimeSpan DecidedAt)
{
    /// <summary>End-of-utterance delay: from the caller stopping to the decision (the configured silence, or a frame more
    /// when a candidate run of speech had to be waited out).</summary>
    public TimeSpan Delay => DecidedAt - UtteranceEnd;
}
