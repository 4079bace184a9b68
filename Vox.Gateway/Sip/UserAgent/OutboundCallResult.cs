using Vox.Grains.Capacity;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>What placing an outbound call did at once: the call id and whether a worker was reserved (dialling continues in the background).</summary>
public sealed record OutboundCallResult(string CallId, ReservationResult Reservation);
