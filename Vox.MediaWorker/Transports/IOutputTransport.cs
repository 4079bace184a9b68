namespace Vox.MediaWorker.Transports;

/// <summary>Where the pipeline's output goes: the call's transport (a WebSocket serializer, RTP).</summary>
public interface IOutputTransport
{
    /// <summary>Sends one 20 ms frame of bot audio (mono PCM16 at the pipeline rate), already paced in real time.</summary>
    ValueTask SendAudioAsync(ReadOnlyMemory<short> frame, CancellationToken cancellationToken);

    /// <summary>Tells the far end to drop audio it has buffered (barge-in): Twilio/Exotel <c>clear</c> and the like.</summary>
    ValueTask ClearAsync(CancellationToken cancellationToken);

    /// <summary>Sends a control event (transcripts, marks) where the transport has a way to.</summary>
    ValueTask SendEventAsync(TransportEvent transportEvent, CancellationToken cancellationToken);
}
