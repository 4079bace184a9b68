using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>What one reaper pass removed.</summary>
/// <param name="ExpiredWorkers">Workers removed because their TTL lapsed.</param>
/// <param name="LostCalls">Calls ended <c>worker_lost</c> because their worker was removed.</param>
/// <param name="ExpiredReservations">Calls whose reservation lapsed before media connected.</param>
[GenerateSerializer, Immutable]
public sealed record ReapResult(IReadOnlyList<string> ExpiredWorkers, IReadOnlyList<string> LostCalls, IReadOnlyList<string> ExpiredReservations);
