namespace Vox.MediaWorker.Tools;

/// <summary>What the transport can do to the call beyond audio: transfer it (SIP REFER, a carrier's redirect, the native <c>transfer</c> event).</summary>
public interface ICallControl
{
    /// <summary>
    /// Transfers the caller to <paramref name="destination"/> (E.164 number or SIP URI); returns once the far end has taken the
    /// transfer on. Throws <see cref="CallControlException"/> when it was refused or cannot be done on this call.
    /// </summary>
    ValueTask TransferAsync(string destination, CancellationToken cancellationToken);
}
