using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>The result of <see cref="ICapacityGrain.ReserveAsync"/>; <see cref="Worker"/> is set only when granted.</summary>
[GenerateSerializer, Immutable]
public sealed record ReservationResult(ReservationOutcome Outcome, ReservedWorker? Worker, string Message)
{
    /// <summary>True when a worker was reserved.</summary>
    public bool Granted => Outcome == ReservationOutcome.Granted;
}
