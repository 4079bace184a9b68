using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>How a reservation ended.</summary>
[GenerateSerializer]
public enum ReservationOutcome
{
    /// <summary>A worker was reserved (or was already reserved for this call id).</summary>
    Granted,
    /// <summary>No idle worker is registered in the pool.</summary>
    NoCapacity,
    /// <summary>The tenant already has as many calls as its concurrency cap allows.</summary>
    TenantLimit,
    /// <summary>Only the slots kept for inbound calls are free, and this call is outbound.</summary>
    InboundReserve,
}
