using System.Net.WebSockets;

namespace Vox.MediaWorker.Transports;

/// <summary>One WebSocket message to send.</summary>
public readonly record struct OutboundMessage(WebSocketMessageType Type, ReadOnlyMemory<byte> Payload);
