using System.Collections.Concurrent;

namespace Vox.Fakes;

/// <summary>Faults to inject, one per request or connection, in order; empty means behave.</summary>
public sealed class FaultQueue
{
    private readonly ConcurrentQueue<FakeFault> _faults = new();

    /// <summary>Queues faults for the next requests.</summary>
    public void Enqueue(params FakeFault[] faults)
    {
        foreach (var fault in faults)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <summary>The fault for the next request.</summary>
    public FakeFault Next() => _faults.TryDequeue(out var fault) ? fault : FakeFault.None;
}
