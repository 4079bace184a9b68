namespace Vox.Grains.Capacity;

/// <summary>Answer to a heartbeat: whether the slot is still registered and what it is doing.</summary>
public sealed record WorkerHeartbeat(bool Registered, WorkerSlotState State, string? CallId);
