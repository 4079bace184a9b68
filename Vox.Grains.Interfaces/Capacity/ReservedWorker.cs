using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>The worker a call was given, with where to send its media.</summary>
[GenerateSerializer, Immutable]
public sealed record ReservedWorker(string WorkerId, string Host, string MediaUrl, string? RtpAddress, DateTimeOffset ReservationExpiresAt);
