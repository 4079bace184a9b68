using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Tools;

/// <summary>Call control over a WebSocket transport: a transfer is a <c>transfer</c> control event the far end acts on (the native Vox protocol).</summary>
public sealed class TransportCallControl(IOutputTransport transport) : ICallControl
{
    /// <inheritdoc />
    public ValueTask TransferAsync(string destination, CancellationToken cancellationToken) =>
        transport.SendEventAsync(new TransportEvent("transfer", Name: destination), cancellationToken);
}
