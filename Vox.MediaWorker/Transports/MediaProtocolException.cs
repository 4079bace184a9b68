using System.Net.WebSockets;

namespace Vox.MediaWorker.Transports;

/// <summary>The far end broke the media protocol; the call is closed with <see cref="CloseStatus"/> and this message as the reason.</summary>
public sealed class MediaProtocolException(WebSocketCloseStatus closeStatus, string message) : Exception(message)
{
    /// <summary>WebSocket close code to send.</summary>
    public WebSocketCloseStatus CloseStatus { get; } = closeStatus;
}
