namespace Vox.Grains.Workers;

/// <summary>Commands a silo sends to the media worker carrying a call.</summary>
public interface IWorkerControl
{
    /// <summary>
    /// Asks the worker at <paramref name="mediaUrl"/> to hang up <paramref name="callId"/> now, recording <paramref name="reason"/>
    /// (<c>operator_hangup</c> or <c>silo_shutdown</c>); false when it is not carrying that call.
    /// </summary>
    Task<bool> HangUpAsync(string mediaUrl, string callId, string reason, CancellationToken cancellationToken);
}
