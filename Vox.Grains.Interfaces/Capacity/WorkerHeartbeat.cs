using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>Answer to a heartbeat: whether the slot is still registered and what it is doing.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerHeartbeat(bool Registered, WorkerSlotState State, string? CallId);
