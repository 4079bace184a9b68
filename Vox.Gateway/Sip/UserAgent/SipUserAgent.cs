using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Gateway.Api;
using Vox.Gateway.Sip.Dialogs;
using Vox.Gateway.Sip.Media;
using Vox.Gateway.Sip.Messages;
using Vox.Gateway.Sip.Sdp;
using Vox.Gateway.Sip.Transactions;
using Vox.Gateway.Sip.Transport;
using Vox.Grains;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Media;
using Vox.Grains.Net;
using Vox.Grains.Numbers;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>
/// The gateway's SIP user agent (UAS for inbound, UAC for outbound): answers OPTIONS, routes an INVITE to its number's
/// bot, reserves a worker, has it open an RTP port and answers with SDP pointing there; handles ACK, BYE either way,
/// CANCEL, re-INVITE (hold); places outbound calls through trunks; hangs up when the worker ends the call.
/// Signalling only: media never crosses the gateway.
/// </summary>
public sealed partial class SipUserAgent(
    SipTransportLayer transport,
    IGrainFactory grains,
    IPhoneNumberCatalog numbers,
    WorkerRtpClient workers,
    IOptions<SipOptions> options,
    IOptions<FleetApiOptions> fleet,
    TimeProvider time,
    ILoggerFactory loggers,
    SipTrunkDirectory trunkDirectory,
    EgressPolicy egress,
    Admission.CallAdmission admission,
    IGatewayAddress? address = null) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<SipUserAgent>();
    private readonly SipOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, SipCall> _dialogs = new();
    private readonly ConcurrentDictionary<ServerInviteTransaction, SipCall> _pending = new();
    private readonly ConcurrentDictionary<string, SipCall> _calls = new();
    private readonly TaskCompletionSource<IPEndPoint?> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SipTransactionLayer? _transactions;

    /// <summary>The bound SIP endpoint (UDP and TCP share the port), or null when SIP is off or the port was taken.</summary>
    public Task<IPEndPoint?> BoundAsync => _bound.Task;

    /// <summary>Calls whose signalling this gateway carries now.</summary>
    public int ActiveCalls => _calls.Count;

    /// <summary>Transactions alive now.</summary>
    public (int Server, int Client) Transactions => _transactions?.Count ?? (0, 0);

    private SipTransactionLayer Layer => _transactions ?? throw new InvalidOperationException("SIP is not running.");

    private string Host => !string.IsNullOrEmpty(_options.AdvertisedHost) ? _options.AdvertisedHost
        : _options.ListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : _options.ListenAddress;

    private int Port => transport.LocalEndPoint.Port;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            _bound.TrySetResult(null);
            return;
        }

        try
        {
            transport.Start(IPAddress.Parse(_options.ListenAddress), _options.Port);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            LogPortTaken(_logger, _options.ListenAddress, _options.Port, ex.Message);
            _bound.TrySetResult(null);
            return;
        }

        var timers = new SipTimers(TimeSpan.FromMilliseconds(_options.T1Ms), TimeSpan.FromMilliseconds(_options.T2Ms), TimeSpan.FromMilliseconds(_options.T4Ms));
        _transactions = new SipTransactionLayer(transport, timers, time, loggers.CreateLogger<SipTransactionLayer>())
        {
            RequestReceived = OnRequestAsync,
            StrayResponse = OnStrayResponseAsync,
        };
        LogListening(_logger, transport.LocalEndPoint.ToString(), Host);
        _bound.TrySetResult(transport.LocalEndPoint);
        try
        {
            await WatchCallsAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await transport.DisposeAsync();
    }

    private ValueTask OnRequestAsync(SipRequest request, SipRemote remote, SipTransaction? transaction)
    {
        // Each request runs on its own task so a slow store or worker never stalls the receive loop.
        _ = Task.Run(async () =>
        {
            try
            {
                await HandleRequestAsync(request, remote, transaction);
            }
            catch (Exception ex)
            {
                LogRequestFailed(_logger, ex, request.Method, request.CallId);
                if (transaction is not null)
                {
                    Respond(transaction, SipResponse.Create(request, 500, toTag: NewTag()));
                }
            }
        });
        return ValueTask.CompletedTask;
    }

    private async Task HandleRequestAsync(SipRequest request, SipRemote remote, SipTransaction? transaction)
    {
        var toTag = request.To?.Tag;
        if (toTag is not null && request.Method != SipMethods.Cancel)
        {
            await HandleInDialogAsync(request, remote, transaction, toTag);
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Options:
                var ok = SipResponse.Create(request, 200, toTag: NewTag());
                ok.Headers.Add(SipHeaderNames.Allow, SipMethods.Allowed).Add(SipHeaderNames.Accept, "application/sdp").Add(SipHeaderNames.Supported, "replaces");
                Respond(transaction, ok);
                break;
            case SipMethods.Invite:
                await OnInviteAsync(request, remote, (ServerInviteTransaction)transaction!);
                break;
            case SipMethods.Cancel:
                OnCancel(request, transaction!);
                break;
            case SipMethods.Ack:
                break;
            case SipMethods.Bye or SipMethods.Refer or SipMethods.Notify or SipMethods.Info:
                Respond(transaction, SipResponse.Create(request, 481, toTag: NewTag()));
                break;
            default:
                var notAllowed = SipResponse.Create(request, 405, toTag: NewTag());
                notAllowed.Headers.Add(SipHeaderNames.Allow, SipMethods.Allowed);
                Respond(transaction, notAllowed);
                break;
        }
    }

    private async Task HandleInDialogAsync(SipRequest request, SipRemote remote, SipTransaction? transaction, string toTag)
    {
        var fromTag = request.From?.Tag ?? "";
        if (!_dialogs.TryGetValue(SipDialog.Key(request.CallId, toTag, fromTag), out var call) || call.Dialog is not { } dialog)
        {
            if (request.Method != SipMethods.Ack)
            {
                Respond(transaction, SipResponse.Create(request, 481));
            }

            return;
        }

        var cseq = request.CSeq!.Number;
        if (request.Method != SipMethods.Ack)
        {
            if (cseq < dialog.RemoteSequence)
            {
                Respond(transaction, SipResponse.Create(request, 500, "Server Internal Error - CSeq out of order"));
                return;
            }

            dialog.RemoteSequence = cseq;
        }

        switch (request.Method)
        {
            case SipMethods.Ack:
                await OnAckAsync(call, request);
                break;
            case SipMethods.Bye:
                Respond(transaction, SipResponse.Create(request, 200));
                await OnRemoteHangupAsync(call, "bye");
                break;
            case SipMethods.Invite:
                await OnReinviteAsync(call, request, (ServerInviteTransaction)transaction!);
                break;
            case SipMethods.Options or SipMethods.Info:
                Respond(transaction, SipResponse.Create(request, 200));
                break;
            case SipMethods.Notify:
                Respond(transaction, SipResponse.Create(request, 200));
                await OnNotifyAsync(call, request);
                break;
            default:
                Respond(transaction, SipResponse.Create(request, 501));
                break;
        }
    }

    private void OnCancel(SipRequest cancel, SipTransaction transaction)
    {
        var invite = Layer.FindInvite(cancel);
        if (invite is null)
        {
            Respond(transaction, SipResponse.Create(cancel, 481));
            return;
        }

        // RFC 3261 section 9.2: 200 to the CANCEL, and 487 to the INVITE if it has no final response yet.
        Respond(transaction, SipResponse.Create(cancel, 200));
        if (_pending.TryGetValue(invite, out var call))
        {
            lock (call.Gate)
            {
                if (invite.HasFinalResponse)
                {
                    return;
                }

                call.Cancelled = true;
                invite.Respond(SipResponse.Create(invite.Request, 487, toTag: call.Dialog?.LocalTag ?? NewTag()));
            }

            LogCancelled(_logger, call.CallId);
            call.Abort.Cancel();
            _ = Task.Run(() => EndUnansweredAsync(call, EndReasons.Cancelled, "CANCEL before answer"));
        }
        else
        {
            invite.Respond(SipResponse.Create(invite.Request, 487, toTag: NewTag()));
        }
    }

    private async Task OnAckAsync(SipCall call, SipRequest ack)
    {
        var transaction = call.InviteTransaction;
        transaction?.OnAck();
        bool start;
        lock (call.Gate)
        {
            start = !call.Confirmed && !call.Ended && call.Direction == CallDirection.Inbound;
            call.Confirmed = true;
        }

        if (transaction is not null)
        {
            _pending.TryRemove(transaction, out _);
        }

        if (!start)
        {
            return;
        }

        try
        {
            await workers.AnswerAsync(call.Worker!, RtpRequest(call), CancellationToken.None);
            LogAnswered(_logger, call.CallId, call.Worker!.WorkerId, call.LocalMedia.Address, call.LocalMedia.Port);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            LogWorkerFailed(_logger, call.CallId, ex.Message);
            await HangUpAsync(call, EndReasons.Error, "worker did not start the call: " + ex.Message);
        }
    }

    private async Task OnReinviteAsync(SipCall call, SipRequest reinvite, ServerInviteTransaction transaction)
    {
        SdpAnswer? media = null;
        if (reinvite.Body.Length > 0 && (!SessionDescription.TryParse(reinvite.BodyText, out var offer) || (media = SdpAnswer.Negotiate(offer, out _)) is null))
        {
            transaction.Respond(SipResponse.Create(reinvite, 488));
            return;
        }

        media ??= call.Media;
        call.Media = media;
        call.InviteTransaction = transaction;
        call.SdpVersion++;
        try
        {
            await workers.UpdateAsync(call.Worker!, RtpRequest(call), CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            LogWorkerFailed(_logger, call.CallId, ex.Message);
        }

        LogHold(_logger, call.CallId, media!.OnHold);
        await AppendEventAsync(call, media.OnHold ? "sip_hold" : "sip_unhold", null);
        var ok = SipResponse.Create(reinvite, 200);
        ok.Headers.Add(SipHeaderNames.Contact, Contact(transaction.Remote));
        ok.SetBody("application/sdp", SessionDescription.Write(call.SdpVersion, call.LocalMedia.Address, call.LocalMedia.Port, [media.PayloadType], media.DtmfPayloadType, media.AnswerDirection));
        transaction.Respond(ok);
    }

    private async Task OnRemoteHangupAsync(SipCall call, string why)
    {
        // A BYE in the dialog proves the 2xx arrived, even if its ACK is still on the way (or overtaken): stop retransmitting.
        call.InviteTransaction?.OnAck();
        if (!call.TryEnd())
        {
            return;
        }

        Forget(call);
        LogRemoteHangup(_logger, call.CallId, why);
        if (call.Worker is { } worker && call.RtpOpened)
        {
            try
            {
                // The worker sees the hang-up, finishes the pipeline and delivers the result (transcript, recording).
                await workers.CloseAsync(worker, call.CallId, CancellationToken.None);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                LogWorkerFailed(_logger, call.CallId, ex.Message);
                await EndCallQuietlyAsync(call.CallId, EndReasons.CallerHangup, "worker unreachable at hang-up");
            }
        }

        if (!call.Confirmed)
        {
            await EndCallQuietlyAsync(call.CallId, EndReasons.CallerHangup, why);
        }
    }

    /// <summary>Sends BYE in the call's dialog and makes sure the call ends with <paramref name="reason"/> and its slot is freed.</summary>
    private async Task HangUpAsync(SipCall call, string reason, string? detail)
    {
        if (!call.TryEnd())
        {
            return;
        }

        Forget(call);
        if (call.Dialog is { } dialog)
        {
            var bye = dialog.CreateRequest(SipMethods.Bye, Via(dialog.Remote), Contact(dialog.Remote));
            var final = await Layer.SendRequest(bye, dialog.Remote).Final;
            LogByeSent(_logger, call.CallId, final.StatusCode);
        }

        if (call.Worker is { } worker && call.RtpOpened)
        {
            try
            {
                await workers.CloseAsync(worker, call.CallId, CancellationToken.None, reason);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                LogWorkerFailed(_logger, call.CallId, ex.Message);
            }
        }

        await EndCallQuietlyAsync(call.CallId, reason, detail);
    }

    /// <summary>
    /// Ends a call that never connected media: closes the worker's session (freeing it) and ends the call record, which frees
    /// the slot. Idempotent, and run again by the INVITE flow when a CANCEL overtook it, so nothing it created later leaks.
    /// </summary>
    private async Task EndUnansweredAsync(SipCall call, string reason, string? detail)
    {
        call.TryEnd();
        Forget(call);
        if (call.Worker is { } worker && call.RtpOpened)
        {
            try
            {
                await workers.CloseAsync(worker, call.CallId, CancellationToken.None);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                LogWorkerFailed(_logger, call.CallId, ex.Message);
            }
        }

        await EndCallQuietlyAsync(call.CallId, reason, detail);
        LogEnded(_logger, call.CallId, reason);
    }

    private async Task EndCallQuietlyAsync(string callId, string reason, string? detail)
    {
        try
        {
            await grains.GetGrain<ICallGrain>(callId).EndAsync(reason, detail, CancellationToken.None);
            await grains.GetGrain<ICapacityGrain>(fleet.Value.DefaultPool).ReleaseAsync(callId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is VoxException or HttpRequestException)
        {
            LogStoreFailed(_logger, callId, ex.Message);
        }
    }

    private async Task AppendEventAsync(SipCall call, string type, object? data)
    {
        try
        {
            await grains.GetGrain<ICallGrain>(call.CallId).AppendEventsAsync(
                [new CallEventInput(type, data is null ? null : JsonSerializer.SerializeToElement(data, VoxJson.Options))], CancellationToken.None);
        }
        catch (Exception ex) when (ex is VoxException or HttpRequestException)
        {
            LogStoreFailed(_logger, call.CallId, ex.Message);
        }
    }

    /// <summary>Hangs up (BYE) confirmed calls the worker has ended: the bot said goodbye, a limit, RTP went silent.</summary>
    private async Task WatchCallsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.CallWatchIntervalMs), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var call in _calls.Values)
            {
                if (!call.Confirmed || call.Ended)
                {
                    continue;
                }

                try
                {
                    var record = await grains.GetGrain<ICallGrain>(call.CallId).GetAsync(null, stoppingToken);
                    if (record.State == CallState.Ended)
                    {
                        LogWorkerEnded(_logger, call.CallId, record.EndReason ?? "");
                        _ = Task.Run(() => HangUpAsync(call, record.EndReason ?? EndReasons.BotHangup, record.EndDetail), CancellationToken.None);
                    }
                }
                catch (Exception ex) when (ex is VoxException or HttpRequestException)
                {
                    LogStoreFailed(_logger, call.CallId, ex.Message);
                }
            }
        }
    }

    private ValueTask OnStrayResponseAsync(SipResponse response, SipRemote remote)
    {
        // A retransmitted 2xx to our INVITE: our ACK was lost; send it again (RFC 3261 section 13.2.2.4).
        if (response.StatusCode is >= 200 and < 300 && response.CSeq?.Method == SipMethods.Invite
            && _dialogs.TryGetValue(SipDialog.Key(response.CallId, response.From?.Tag ?? "", response.To?.Tag ?? ""), out var call) && call.Dialog is { } dialog)
        {
            var ack = dialog.CreateRequest(SipMethods.Ack, Via(dialog.Remote), Contact(dialog.Remote), response.CSeq.Number);
            return Layer.SendQuietlyAsync(ack, dialog.Remote);
        }

        return ValueTask.CompletedTask;
    }

    private void Forget(SipCall call)
    {
        _calls.TryRemove(call.CallId, out _);
        admission.Remove(call.CallId);
        if (call.Dialog is { } dialog)
        {
            _dialogs.TryRemove(dialog.Id, out _);
        }

        if (call.InviteTransaction is { } transaction)
        {
            _pending.TryRemove(transaction, out _);
        }
    }

    private RtpSessionRequest RtpRequest(SipCall call)
    {
        var media = call.Media;
        return new RtpSessionRequest(call.CallId, media?.RemoteAddress, media?.RemotePort, media?.PayloadType ?? 0, media?.DtmfPayloadType, media?.OnHold ?? false,
            Screen: call.Direction == CallDirection.Outbound, ControlUrl: ControlUrl(call.CallId));
    }

    /// <summary>Where the worker asks this gateway to act on the call (transfer); null when the host gave no address, so the worker cannot.</summary>
    private string? ControlUrl(string callId) => address is null ? null : address.Current + Vox.Grains.Internal.InternalApi.SipCall(callId);

    private static void Respond(SipTransaction? transaction, SipResponse response)
    {
        switch (transaction)
        {
            case ServerInviteTransaction invite:
                invite.Respond(response);
                break;
            case ServerNonInviteTransaction other:
                other.Respond(response);
                break;
        }
    }

    private string Via(SipRemote remote) => $"SIP/2.0/{remote.Protocol} {Host}:{Port};branch={ViaHeader.MagicCookie}{RandomToken(10)};rport";

    private string Contact(SipRemote remote) => remote.IsUnreliable ? $"<sip:vox@{Host}:{Port}>" : $"<sip:vox@{Host}:{Port};transport=tcp>";

    private static string NewTag() => RandomToken(8);

    private static string RandomToken(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on {EndPoint} (UDP and TCP), advertised as {Host}")]
    private static partial void LogListening(ILogger logger, string endPoint, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP cannot listen on {Address}:{Port} ({Error}); SIP is off. Set Sip:Port (or Ports:Sip) to a free port.")]
    private static partial void LogPortTaken(ILogger logger, string address, int port, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "SIP {Method} (Call-ID {SipCallId}) failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string method, string sipCallId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: CANCEL before answer")]
    private static partial void LogCancelled(ILogger logger, string callId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: answered, media between the caller and worker {WorkerId} at {Address}:{Port}")]
    private static partial void LogAnswered(ILogger logger, string callId, string workerId, string address, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: worker request failed: {Error}")]
    private static partial void LogWorkerFailed(ILogger logger, string callId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: store unreachable: {Error}")]
    private static partial void LogStoreFailed(ILogger logger, string callId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: on hold {OnHold}")]
    private static partial void LogHold(ILogger logger, string callId, bool onHold);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: the far end hung up ({Why})")]
    private static partial void LogRemoteHangup(ILogger logger, string callId, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: BYE answered {Status}")]
    private static partial void LogByeSent(ILogger logger, string callId, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: the worker ended the call ({Reason}); hanging up")]
    private static partial void LogWorkerEnded(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: ended {Reason}")]
    private static partial void LogEnded(ILogger logger, string callId, string reason);
}
