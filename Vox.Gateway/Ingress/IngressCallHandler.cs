using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Gateway.Admission;
using Vox.Grains;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;

namespace Vox.Gateway.Ingress;

/// <summary>
/// One inbound WebSocket call: authenticate (before anything is reserved), reserve a worker slot (fleet full: close 1013
/// with the reason, before any audio), create the call, open the worker's <c>/media/{serializer}</c> socket and relay
/// frames both ways until either side closes. The gateway never parses carrier media; the worker's serializer does.
/// </summary>
public sealed partial class IngressCallHandler(
    IngressAuthenticator authenticator,
    IGrainFactory grains,
    IngressWorkerToken workerToken,
    IOptions<IngressOptions> options,
    CallAdmission admission,
    ILogger<IngressCallHandler> logger)
{
    /// <summary>WebSocket close code for "try again later" (RFC 6455 registry), sent when the fleet is full.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    /// <summary>Query keys that stay at the gateway (credentials) rather than going on to the worker.</summary>
    private static readonly HashSet<string> GatewayOnlyKeys = new(StringComparer.OrdinalIgnoreCase) { "token", "callId" };

    /// <summary>Handles one request to a carrier's ingress route.</summary>
    public async Task HandleAsync(HttpContext context, IngressCarrier carrier)
    {
        var botId = context.GetRouteValue("botId") as string ?? "";
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket required",
                detail: $"/{carrier.Route}/{{botId}} takes a WebSocket upgrade.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var aborted = context.RequestAborted;
        var auth = await authenticator.AuthenticateAsync(context, botId, aborted).ConfigureAwait(false);
        if (!auth.Succeeded)
        {
            // Refused at the HTTP handshake: no socket, no reservation, no call record.
            await Results.Problem(statusCode: auth.StatusCode, title: "Ingress refused", detail: auth.Reason).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var bot = auth.Bot!;
        var callId = $"call_{Guid.CreateVersion7():N}";
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CallId"] = callId, ["BotId"] = botId });
        var capacity = grains.GetGrain<ICapacityGrain>(options.Value.Pool);
        var reservation = !admission.Accepting ? CallAdmission.Refused
            : await capacity.ReserveAsync(new ReservationRequest(bot.TenantId, callId, CallDirection.Inbound), aborted).ConfigureAwait(false);
        if (!reservation.Granted)
        {
            LogBusy(logger, botId, carrier.Route, reservation.Outcome);
            using var refused = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await CloseAsync(refused, TryAgainLater, $"busy: {reservation.Message}").ConfigureAwait(false);
            return;
        }

        ClientWebSocket? worker = null;
        try
        {
            var metadata = new Dictionary<string, string> { ["ingress"] = carrier.Route };
            if (context.Connection.RemoteIpAddress is { } remote)
            {
                metadata["remoteAddress"] = remote.ToString();
            }

            await grains.GetGrain<ICallGrain>(callId).StartAsync(
                new CallStart(bot.TenantId, botId, CallDirection.Inbound, carrier.Transport, null, null, reservation.Worker!.WorkerId, Metadata: metadata),
                aborted).ConfigureAwait(false);
            worker = await ConnectWorkerAsync(reservation.Worker!, carrier, callId, context.Request.Query, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException or VoxException)
        {
            worker?.Dispose();
            LogWorkerUnreachable(logger, ex, callId, reservation.Worker!.WorkerId);
            await capacity.ReleaseAsync(callId, CancellationToken.None).ConfigureAwait(false);
            await EndQuietlyAsync(callId, $"worker {reservation.Worker.WorkerId} unreachable: {ex.Message}").ConfigureAwait(false);
            if (!aborted.IsCancellationRequested)
            {
                using var failed = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
                await CloseAsync(failed, WebSocketCloseStatus.InternalServerError, "worker unreachable, try again").ConfigureAwait(false);
            }

            return;
        }

        using (worker)
        {
            admission.Add(callId, reservation.Worker.MediaUrl);
            try
            {
                using var caller = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
                LogProxying(logger, callId, botId, carrier.Route, reservation.Worker.WorkerId);
                var outcome = await WebSocketProxy.RunAsync(caller, worker, options.Value.ProxyBufferBytes, admission.Cut).ConfigureAwait(false);
                LogProxyEnded(logger, callId, outcome.CallerStatus?.ToString() ?? "none", outcome.WorkerStatus?.ToString() ?? "none", outcome.WorkerReason ?? "");
            }
            finally
            {
                admission.Remove(callId);
            }
        }
    }

    private async Task<ClientWebSocket> ConnectWorkerAsync(ReservedWorker reserved, IngressCarrier carrier, string callId, IQueryCollection query, CancellationToken cancellationToken)
    {
        var media = reserved.MediaUrl.TrimEnd('/');
        media = media.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "wss://" + media[8..]
            : media.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "ws://" + media[7..]
            : media;
        var url = new StringBuilder(media);
        url.Append('/').Append(carrier.Serializer).Append("?callId=").Append(Uri.EscapeDataString(callId));
        foreach (var (key, values) in query)
        {
            if (!GatewayOnlyKeys.Contains(key))
            {
                foreach (var value in values)
                {
                    url.Append('&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
                }
            }
        }

        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(InternalApi.TokenHeader, workerToken.Value);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.WorkerConnectTimeoutMs);
        try
        {
            await socket.ConnectAsync(new Uri(url.ToString()), timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task EndQuietlyAsync(string callId, string detail)
    {
        try
        {
            await grains.GetGrain<ICallGrain>(callId).EndAsync(EndReasons.Error, detail, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is VoxException or HttpRequestException)
        {
            LogWorkerUnreachable(logger, ex, callId, "-");
        }
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            // A close reason must fit in 123 UTF-8 bytes.
            await socket.CloseOutputAsync(status, reason.Length <= 120 ? reason : reason[..120], timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The caller left already.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress call to bot {BotId} over {Ingress} refused: {Outcome}")]
    private static partial void LogBusy(ILogger logger, string botId, string ingress, ReservationOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId}: worker {WorkerId} could not be reached; slot released")]
    private static partial void LogWorkerUnreachable(ILogger logger, Exception exception, string callId, string workerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} to bot {BotId} over {Ingress} proxied to worker {WorkerId}")]
    private static partial void LogProxying(ILogger logger, string callId, string botId, string ingress, string workerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} proxy ended: caller close {CallerStatus}, worker close {WorkerStatus} {WorkerReason}")]
    private static partial void LogProxyEnded(ILogger logger, string callId, string callerStatus, string workerStatus, string workerReason);
}
