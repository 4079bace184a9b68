namespace Vox.MediaWorker.Providers.Stt;

/// <summary>One call's streaming recognition: audio in, transcript events out.</summary>
public interface ISpeechToTextSession : IAsyncDisposable
{
    /// <summary>
    /// True when the caller's silence between turns need not be sent: the pipeline then sends each turn's speech with the
    /// second of audio before it, and nothing while nobody speaks. A local recogniser spends CPU on every sample it is
    /// given (silence too); a provider that keeps its own time line or endpointing leaves this false (the default).
    /// </summary>
    bool SpeechOnly => false;

    /// <summary>Sends caller audio (mono PCM16 at the session's rate), in real time or faster.</summary>
    ValueTask SendAudioAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken);

    /// <summary>
    /// The VAD decided the caller's turn ended: produce the final transcript of the audio sent so far. Returns once the
    /// request is made, in order with the audio; the final (<see cref="TranscriptEvent.SpeechFinal"/>) follows in the
    /// event stream, as late as the provider needs (a recogniser that fell behind the caller catches up first).
    /// </summary>
    ValueTask FinalizeAsync(CancellationToken cancellationToken);

    /// <summary>Transcript events in order; completes when the session is disposed or fails.</summary>
    IAsyncEnumerable<TranscriptEvent> ReadEventsAsync(CancellationToken cancellationToken);
}
