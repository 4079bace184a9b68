using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Vox.Grains;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;
using Vox.Grains.Recordings;
using Vox.Grains.Workers;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Outbox;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Hosting;

/// <summary>The worker's media endpoint <c>/media/{serializer}?callId=…</c>, behind the cluster token.</summary>
public static partial class MediaEndpoints
{
    /// <summary>Maps the media endpoint and <c>/healthz</c>.</summary>
    public static WebApplication MapMediaEndpoints(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.MapGet("/healthz", (CallSlot slot, WorkerRegistrationService registration, OfflineVoiceReadiness voice, IOptions<WorkerOptions> options) =>
            Results.Ok(new
            {
                status = "ok", worker = options.Value.Id, registered = registration.Registered, ready = voice.Ready, notReadyReason = voice.Reason,
                notReadyFix = voice.Fix, call = slot.CurrentCallId, draining = slot.Draining,
            }));
        app.Map("/media/{serializer}", HandleAsync);
        app.MapPost("/calls/{callId}/hangup", (HttpContext context, string callId, string? reason, CallSlot slot, IOptions<ClusterClientOptions> cluster) =>
            !HasClusterToken(context, cluster.Value)
                ? Results.Problem(statusCode: 401, title: "Cluster token required", detail: $"Send the {InternalApi.TokenHeader} header.")
                : reason is not (null or EndReasons.OperatorHangup or EndReasons.SiloShutdown)
                    ? Results.Problem(statusCode: 400, title: "Unknown hang-up reason", detail: $"reason must be {EndReasons.OperatorHangup} or {EndReasons.SiloShutdown}.")
                    : slot.TryHangUp(callId, reason ?? EndReasons.OperatorHangup)
                        ? Results.Accepted()
                        : Results.Problem(statusCode: 404, title: "Call not on this worker", detail: $"This worker is not carrying call '{callId}'."));
        return app;
    }

    private static bool HasClusterToken(HttpContext context, ClusterClientOptions cluster)
    {
        var presented = Encoding.UTF8.GetBytes(context.Request.Headers[InternalApi.TokenHeader].ToString());
        return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(cluster.ClusterToken));
    }

    // The provider factory comes in as Func<ProviderFactory> and is built inside the call: building it loads the offline
    // voice, and a failure there must close this socket with 1011 and its reason, not answer the upgrade with HTTP 500.
    private static async Task HandleAsync(HttpContext context, string serializer, CallSlot slot, IGrainFactory grains, Func<ProviderFactory> providers,
        ResultOutbox outbox, IRecordingStore recordings, IOptions<WorkerOptions> options, IOptions<ClusterClientOptions> cluster, TimeProvider time,
        ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        var logger = loggers.CreateLogger("Vox.MediaWorker.Media");
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: 400, title: "WebSocket required", detail: "Connect with a WebSocket upgrade.").ExecuteAsync(context);
            return;
        }

        if (!HasClusterToken(context, cluster.Value))
        {
            await Results.Problem(statusCode: 401, title: "Cluster token required", detail: $"Media connections need the {InternalApi.TokenHeader} header.").ExecuteAsync(context);
            return;
        }

        IMediaSerializer? mediaSerializer;
        string? refusal = null;
        try
        {
            mediaSerializer = MediaSerializers.Create(serializer, context.Request.Query);
        }
        catch (MediaProtocolException ex)
        {
            (mediaSerializer, refusal) = (null, ex.Message);
        }

        var callId = context.Request.Query["callId"].ToString();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        if (mediaSerializer is null)
        {
            var reason = refusal ?? $"unknown media serializer '{serializer}'";
            // The call was reserved for this worker: end it, which frees the slot, with the reason on the record.
            await EndRefusedAsync(grains, callId, reason, logger);

            await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, reason);
            return;
        }

        if (string.IsNullOrEmpty(callId))
        {
            await CloseAsync(socket, (WebSocketCloseStatus)1013, "callId query parameter required");
            return;
        }

        if (!await slot.TryTakeAsync(callId, TimeSpan.FromSeconds(options.Value.SlotWaitSeconds), time, context.RequestAborted))
        {
            // The store reserved this worker, but it still carries a call: end the new one so its reservation does not linger.
            await EndRefusedAsync(grains, callId, "worker busy", logger);
            await CloseAsync(socket, (WebSocketCloseStatus)1013, "worker busy");
            return;
        }

        try
        {
            var workerId = options.Value.Id;
            if (!await grains.GetGrain<ICapacityGrain>(options.Value.Pool).AttachAsync(callId, workerId, context.RequestAborted))
            {
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, $"call {callId} is not reserved on worker {workerId}");
                return;
            }

            var session = new CallSession(callId, socket, mediaSerializer, grains, providers, outbox, recordings, options.Value, time, loggers);
            slot.Session = session;
            await session.RunAsync(slot.Aborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCallFailed(logger, ex, callId);
            try
            {
                await grains.GetGrain<ICallGrain>(callId).EndAsync(EndReasons.Error, ex.Message, CancellationToken.None);
            }
            catch (Exception inner) when (inner is HttpRequestException or VoxException)
            {
                LogCallFailed(logger, inner, callId);
            }

            await CloseAsync(socket, WebSocketCloseStatus.InternalServerError, WebSocketCloseReason.Fit($"internal error: {ex.Message}"));
        }
        finally
        {
            slot.Release();
        }
    }

    private static async Task EndRefusedAsync(IGrainFactory grains, string callId, string reason, ILogger logger)
    {
        if (string.IsNullOrEmpty(callId))
        {
            return;
        }

        try
        {
            await grains.GetGrain<ICallGrain>(callId).EndAsync(EndReasons.Error, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or VoxException)
        {
            LogCallFailed(logger, ex, callId);
        }
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId} failed on this worker")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string callId);
}
