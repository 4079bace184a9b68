using Orleans;
namespace Vox.Grains.Capacity;

/// <summary>What a media worker announces about itself when it registers its slot.</summary>
/// <param name="WorkerId">Stable id of the worker process.</param>
/// <param name="Host">Host name the worker runs on.</param>
/// <param name="MediaUrl">Base URL of the worker's media WebSocket endpoint.</param>
/// <param name="RtpAddress">IP address the worker receives RTP on (for SIP calls).</param>
/// <param name="Version">Build version of the worker, for the fleet view.</param>
/// <param name="Ready">
/// False when the worker found at start that it cannot serve a call (its offline voice is not installed): it stays in the
/// fleet view but is never reserved. Defaults to true, so a worker that does not send it registers as before.
/// </param>
/// <param name="NotReadyReason">Why the worker is not ready, for the fleet view.</param>
/// <param name="NotReadyFix">The command that makes it ready, e.g. the <c>apt-get install</c> line.</param>
/// <param name="CallId">
/// The call the worker carries as it registers (again, after the pool forgot it in a failover): the pool marks it busy
/// with that call instead of ending the call.
/// </param>
[GenerateSerializer, Immutable]
public sealed record WorkerRegistration(
    string WorkerId,
    string Host,
    string MediaUrl,
    string? RtpAddress = null,
    string? Version = null,
    bool Ready = true,
    string? NotReadyReason = null,
    string? NotReadyFix = null,
    string? CallId = null);
