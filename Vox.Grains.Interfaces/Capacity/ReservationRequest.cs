using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>A request for one worker slot for one call.</summary>
[GenerateSerializer, Immutable]
public sealed record ReservationRequest(string TenantId, string CallId, CallDirection Direction);
