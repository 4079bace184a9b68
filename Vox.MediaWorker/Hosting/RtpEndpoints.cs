using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;
using Vox.Grains.Media;
using Vox.Grains.Recordings;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Outbox;
using Vox.MediaWorker.Rtp;
using Vox.MediaWorker.Tools;

namespace Vox.MediaWorker.Hosting;

/// <summary>
/// The worker's RTP endpoints for SIP calls, behind the cluster token. The gateway opens a session when it has reserved
/// this worker (<c>POST /rtp/sessions</c>: the worker takes its slot and a UDP port for the SDP), starts the call when it
/// is answered (<c>POST /rtp/sessions/{callId}/answer</c>: the pipeline runs over RTP), updates it on re-INVITE
/// (<c>PUT</c>: new address, hold) and ends it on BYE or CANCEL (<c>DELETE</c>).
/// </summary>
public static partial class RtpEndpoints
{
    /// <summary>Name of the HTTP client a call uses to ask its gateway for a transfer.</summary>
    public const string GatewayCallControlClient = "vox-call-control";

    /// <summary>Registers the RTP session registry, the <c>Rtp</c> options and the call-control HTTP client.</summary>
    public static WebApplicationBuilder AddVoxRtp(this WebApplicationBuilder builder)
    {
        // GatewayCallControl bounds each transfer itself (the far end's answer to the REFER may take a while).
        builder.Services.AddHttpClient(GatewayCallControlClient, http => http.Timeout = System.Threading.Timeout.InfiniteTimeSpan);
        builder.Services.AddOptions<RtpOptions>().Bind(builder.Configuration.GetSection(RtpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RtpSessionRegistry>();
        return builder;
    }

    /// <summary>Maps <c>/rtp/sessions</c>.</summary>
    public static WebApplication MapRtpEndpoints(this WebApplication app)
    {
        var sessions = app.MapGroup("/rtp/sessions").AddEndpointFilter(async (context, next) =>
        {
            var cluster = context.HttpContext.RequestServices.GetRequiredService<IOptions<ClusterClientOptions>>().Value;
            var presented = Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers[InternalApi.TokenHeader].ToString());
            return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(cluster.ClusterToken))
                ? await next(context)
                : Results.Problem(statusCode: 401, title: "Cluster token required", detail: $"RTP control needs the {InternalApi.TokenHeader} header.");
        });
        sessions.MapPost("", OpenAsync);
        sessions.MapPost("/{callId}/answer", AnswerAsync);
        sessions.MapPut("/{callId}", Update);
        sessions.MapDelete("/{callId}", CloseAsync);
        return app;
    }

    private static async Task<IResult> OpenAsync(RtpSessionRequest request, CallSlot slot, RtpSessionRegistry registry, IOptions<WorkerOptions> worker, IOptions<RtpOptions> rtp,
        OfflineVoiceWarmup voice, TimeProvider time, ILoggerFactory loggers, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        // The store frees this slot when the previous call's result lands, which can be a moment before that call has let go
        // of the port and the slot here: give it that moment rather than refusing a reservation that is valid.
        var taken = !string.IsNullOrEmpty(request.CallId) && slot.TryTake(request.CallId);
        for (var waited = 0; !taken && !string.IsNullOrEmpty(request.CallId) && !slot.Draining && waited < 3000; waited += 25)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25), time, cancellationToken);
            taken = slot.TryTake(request.CallId);
        }

        if (!taken)
        {
            return Results.Problem(statusCode: 503, title: "Worker busy", detail: $"Worker {worker.Value.Id} is carrying call {slot.CurrentCallId}.");
        }

        // The phone rings until the answer: load the offline voice meanwhile, so the greeting does not wait for it.
        _ = voice.Start();
        RtpSession session;
        try
        {
            session = new RtpSession(request.CallId, IPAddress.Parse(worker.Value.RtpAddress), rtp.Value, time, loggers.CreateLogger<RtpSession>());
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Net.Sockets.SocketException or FormatException)
        {
            slot.Release();
            return Results.Problem(statusCode: 503, title: "No RTP port", detail: ex.Message);
        }

        session.Configure(Remote(request), (byte)request.PayloadType, (byte?)request.DtmfPayloadType);
        registry.TryAdd(session);
        var logger = loggers.CreateLogger("Vox.MediaWorker.Rtp");
        // A gateway that never answers or closes the session (it crashed) must not hold this worker forever.
        _ = Task.Delay(TimeSpan.FromSeconds(rtp.Value.AnswerTimeoutSeconds), time, lifetime.ApplicationStopping).ContinueWith(async _ =>
        {
            if (registry.Find(request.CallId) is { } pending && !pending.IsClaimed && registry.Remove(request.CallId, out var _))
            {
                LogAbandoned(logger, request.CallId);
                await pending.DisposeAsync();
                slot.Release();
            }
        }, TaskScheduler.Default);
        LogOpened(logger, request.CallId, session.LocalEndPoint.ToString());
        return Results.Ok(new RtpSessionResponse(request.CallId, session.LocalEndPoint.Address.ToString(), session.LocalEndPoint.Port));
    }

    private static async Task<IResult> AnswerAsync(string callId, RtpSessionRequest request, RtpSessionRegistry registry, CallSlot slot, IGrainFactory grains,
        Func<ProviderFactory> providers, ResultOutbox outbox, IRecordingStore recordings, IOptions<WorkerOptions> options, TimeProvider time, ILoggerFactory loggers,
        IHostApplicationLifetime lifetime, IHttpClientFactory http, IOptions<ClusterClientOptions> cluster, CancellationToken cancellationToken)
    {
        if (registry.Find(callId) is not { } session)
        {
            return Results.Problem(statusCode: 404, title: "No RTP session", detail: $"No RTP session is open for call {callId}.");
        }

        session.Configure(Remote(request), (byte)request.PayloadType, (byte?)request.DtmfPayloadType);
        if (!session.TryClaim())
        {
            return Results.Ok(new RtpSessionResponse(callId, session.LocalEndPoint.Address.ToString(), session.LocalEndPoint.Port));
        }

        var workerId = options.Value.Id;
        if (!await grains.GetGrain<ICapacityGrain>(options.Value.Pool).AttachAsync(callId, workerId, cancellationToken))
        {
            registry.Remove(callId, out _);
            await session.DisposeAsync();
            slot.Release();
            return Results.Problem(statusCode: 409, title: "Not reserved", detail: $"Call {callId} is not reserved on worker {workerId}.");
        }

        var logger = loggers.CreateLogger("Vox.MediaWorker.Rtp");
        _ = Task.Run(async () =>
        {
            try
            {
                // Built here, not bound to the request: a provider that cannot be built (the offline voice is missing) ends
                // this call with the reason below and frees the slot, instead of failing the answer with HTTP 500.
                if (request.Screen && !await PersonAnsweredAsync(callId, session, grains, providers(), time, loggers, slot.Aborted))
                {
                    return;
                }

                session.Start();
                var control = new GatewayCallControl(http.CreateClient(GatewayCallControlClient), request.ControlUrl, cluster.Value.ClusterToken);
                var call = new CallSession(callId, session, grains, providers, outbox, recordings, options.Value, time, loggers, control);
                slot.Session = call;
                await call.RunAsync(slot.Aborted);
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
            }
            finally
            {
                registry.Remove(callId, out _);
                await session.DisposeAsync();
                slot.Release();
            }
        }, CancellationToken.None);
        return Results.Ok(new RtpSessionResponse(callId, session.LocalEndPoint.Address.ToString(), session.LocalEndPoint.Port));
    }

    /// <summary>Screens an outbound call whose bot asks for it; a machine ends the call <c>voicemail</c> here.</summary>
    private static async Task<bool> PersonAnsweredAsync(string callId, RtpSession session, IGrainFactory grains, ProviderFactory providers, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var call = grains.GetGrain<ICallGrain>(callId);
        var record = await call.GetAsync(null, cancellationToken);
        var bot = await grains.GetGrain<IBotGrain>(record.BotId).GetRuntimeConfigAsync(cancellationToken);
        if (!bot.Definition.Voicemail.Detect)
        {
            return true;
        }

        if (await new VoicemailScreen(providers, time, loggers.CreateLogger<VoicemailScreen>()).ScreenAsync(session, bot, cancellationToken))
        {
            return true;
        }

        await call.TransitionAsync(CallState.InProgress, null, cancellationToken);
        var left = bot.Definition.Voicemail.Action == "leave_message" && !string.IsNullOrWhiteSpace(bot.Definition.Voicemail.Message);
        await call.EndAsync(EndReasons.Voicemail, left ? "answering machine: message left" : "answering machine: hung up", cancellationToken);
        return false;
    }

    private static IResult Update(string callId, RtpSessionRequest request, RtpSessionRegistry registry)
    {
        if (registry.Find(callId) is not { } session)
        {
            return Results.Problem(statusCode: 404, title: "No RTP session", detail: $"No RTP session is open for call {callId}.");
        }

        session.Configure(Remote(request), (byte)request.PayloadType, (byte?)request.DtmfPayloadType);
        session.SetHold(request.OnHold);
        return Results.NoContent();
    }

    private static async Task<IResult> CloseAsync(string callId, string? reason, RtpSessionRegistry registry, CallSlot slot)
    {
        if (registry.Find(callId) is not { } session)
        {
            return Results.NoContent();
        }

        if (session.IsClaimed)
        {
            // The call runs: let the pipeline see the hang-up and finish (result, recording) on its own.
            session.Hangup(reason == EndReasons.Transferred ? EndReasons.Transferred : "bye");
            return Results.Accepted();
        }

        if (registry.Remove(callId, out _))
        {
            await session.DisposeAsync();
            slot.Release();
        }

        return Results.NoContent();
    }

    private static IPEndPoint? Remote(RtpSessionRequest request) =>
        request.RemoteHost is { Length: > 0 } host && request.RemotePort is > 0 and <= 65535 && IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, request.RemotePort.Value)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: RTP session open on {EndPoint}")]
    private static partial void LogOpened(ILogger logger, string callId, string endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: RTP session never answered; abandoned and the slot freed")]
    private static partial void LogAbandoned(ILogger logger, string callId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId} failed on this worker")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string callId);
}
