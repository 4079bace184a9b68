using System.Net.WebSockets;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Calls;

/// <summary>
/// How one call's media reaches the worker: a carrier WebSocket read through its serializer, or an RTP session (SIP).
/// <see cref="CallSession"/> runs the same pipeline over either.
/// </summary>
public interface ICallMediaChannel
{
    /// <summary>The transport's name (the carrier serializer's, or <c>rtp</c>), which decides the audio encoding providers are asked for.</summary>
    string TransportName { get; }

    /// <summary>Sample rate of the audio exchanged, known once the call has started.</summary>
    int SampleRate { get; }

    /// <summary>Whether a transfer can be sent down this channel (<see cref="Vox.MediaWorker.Tools.TransportCallControl"/>); SIP calls transfer through their gateway instead.</summary>
    bool CanTransfer => false;

    /// <summary>Where the pipeline's output goes.</summary>
    IOutputTransport Output { get; }

    /// <summary>The next input; <see cref="TransportStop"/> once the far end closed; <see cref="MediaProtocolException"/> when it broke the protocol.</summary>
    ValueTask<TransportInput> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Ends the media normally, telling the far end why where it can.</summary>
    ValueTask CloseAsync(string reason);

    /// <summary>Ends the media because of an error.</summary>
    ValueTask FailAsync(WebSocketCloseStatus status, string reason);
}
