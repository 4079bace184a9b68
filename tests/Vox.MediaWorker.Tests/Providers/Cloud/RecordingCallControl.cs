using System.Collections.Concurrent;
using Vox.MediaWorker.Tools;

namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>A transport's call control that records transfers, with when they happened.</summary>
internal sealed class RecordingCallControl(Func<TimeSpan> clock) : ICallControl
{
    public ConcurrentQueue<(string Destination, TimeSpan At)> Transfers { get; } = new();

    public ValueTask TransferAsync(string destination, CancellationToken cancellationToken)
    {
        Transfers.Enqueue((destination, clock()));
        return ValueTask.CompletedTask;
    }
}
