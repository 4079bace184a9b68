using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>The state of one worker slot.</summary>
[GenerateSerializer]
public enum WorkerSlotState
{
    /// <summary>Registered and free.</summary>
    Idle,
    /// <summary>Held for a call that has not connected its media yet.</summary>
    Reserved,
    /// <summary>Carrying a call.</summary>
    Busy,
    /// <summary>Not registered (unknown or reaped).</summary>
    Gone,
}
