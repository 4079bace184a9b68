namespace Vox.MediaWorker.Vad;

/// <summary>The caller has spoken over the bot for long enough to interrupt it.</summary>
/// <param name="SpeechOnset">Onset of the caller's speech.</param>
/// <param name="DecidedAt">End of the frame on which the speech reached the minimum duration.</param>
public readonly record struct BargeIn(TimeSpan SpeechOnset, TimeSpan DecidedAt)
{
    /// <summary>From the caller starting to speak to the decision; the pipeline adds its own time to stop the bot's audio.</summary>
    public TimeSpan Latency => DecidedAt - SpeechOnset;
}
