using System.Net.WebSockets;

namespace Vox.Gateway.Ingress;

/// <summary>How a proxied call ended: the close each side sent (null status when it vanished without one).</summary>
public sealed record ProxyOutcome(WebSocketCloseStatus? CallerStatus, string? CallerReason, WebSocketCloseStatus? WorkerStatus, string? WorkerReason);
