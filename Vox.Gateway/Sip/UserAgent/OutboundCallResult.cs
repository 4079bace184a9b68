using Vox.Grains.Capacity;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>
/// What placing an outbound call did at once: the call id and whether a worker was reserved (dialling continues in the
/// background). <see cref="AlreadyPlaced"/>: the fixed call id asked for is a call already, so nothing was dialled and
/// <see cref="Reservation"/> is null.
/// </summary>
public sealed record OutboundCallResult(string CallId, ReservationResult? Reservation, bool AlreadyPlaced = false);
