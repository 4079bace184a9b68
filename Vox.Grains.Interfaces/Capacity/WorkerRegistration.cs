namespace Vox.Grains.Capacity;

/// <summary>What a media worker announces about itself when it registers its slot.</summary>
/// <param name="WorkerId">Stable id of the worker process.</param>
/// <param name="Host">Host name the worker runs on.</param>
/// <param name="MediaUrl">Base URL of the worker's media WebSocket endpoint.</param>
/// <param name="RtpAddress">IP address the worker receives RTP on (for SIP calls).</param>
/// <param name="Version">Build version of the worker, for the fleet view.</param>
public sealed record WorkerRegistration(string WorkerId, string Host, string MediaUrl, string? RtpAddress = null, string? Version = null);
