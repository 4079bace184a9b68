using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Sip.Dialogs;
using Vox.Gateway.Sip.Messages;
using Vox.Gateway.Sip.Sdp;
using Vox.Gateway.Sip.Transactions;
using Vox.Gateway.Sip.Transport;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Media;
using Vox.Grains.Net;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>Outbound calls (UAC): reserve, INVITE through the trunk with digest authentication, ringing, answer or outcome.</summary>
public sealed partial class SipUserAgent
{
    /// <summary>True when SIP is listening (outbound calls can be placed).</summary>
    public bool IsRunning => _transactions is not null;

    /// <summary>
    /// Creates the call, reserves an outbound slot and, when granted, dials in the background: the record moves to
    /// ringing, then in progress when answered, or ends <c>busy</c>, <c>no_answer</c>, <c>rejected</c> or <c>error</c>.
    /// </summary>
    public async Task<OutboundCallResult> PlaceCallAsync(string tenantId, OutboundCallRequest request, CancellationToken cancellationToken)
    {
        var resolved = await trunkDirectory.ResolveAsync(tenantId, request.Trunk, cancellationToken, forDialling: true)
            ?? throw new Vox.Grains.VoxException("unknown_trunk", await trunkDirectory.UnknownAsync(tenantId, request.Trunk, cancellationToken));
        var trunkName = resolved.Name;
        var callId = request.CallId ?? "call_" + Guid.CreateVersion7().ToString("N");
        var metadata = new Dictionary<string, string>(request.Metadata ?? new Dictionary<string, string>()) { ["sip_trunk"] = trunkName };
        var record = await grains.GetGrain<ICallGrain>(callId).StartAsync(new CallStart(tenantId, request.BotId, CallDirection.Outbound, "sip", request.From, request.To, Metadata: metadata), cancellationToken);
        if (request.CallId is not null && (record.State != CallState.Queued || _calls.ContainsKey(callId)))
        {
            // A fixed id that is already a call (placed before, or being placed): never dial it twice.
            LogAlreadyPlaced(_logger, callId, record.State);
            return new OutboundCallResult(callId, null, AlreadyPlaced: true);
        }

        var reservation = !admission.Accepting ? Admission.CallAdmission.Refused
            : await grains.GetGrain<ICapacityGrain>(fleet.Value.DefaultPool).ReserveAsync(new ReservationRequest(tenantId, callId, CallDirection.Outbound), cancellationToken);
        if (!reservation.Granted)
        {
            await EndCallQuietlyAsync(callId, EndReasons.NoCapacity, reservation.Message);
            return new OutboundCallResult(callId, reservation);
        }

        var call = new SipCall(callId, tenantId, request.BotId, CallDirection.Outbound) { Worker = reservation.Worker };
        _calls[callId] = call;
        admission.Add(callId, reservation.Worker?.MediaUrl);
        _ = Task.Run(() => DialAsync(call, request, resolved), CancellationToken.None);
        return new OutboundCallResult(callId, reservation);
    }

    private async Task DialAsync(SipCall call, OutboundCallRequest request, ResolvedTrunk trunk)
    {
        try
        {
            var (outcome, detail) = await InviteAsync(call, request, trunk);
            if (outcome is not null)
            {
                LogOutcome(_logger, call.CallId, outcome, detail ?? "");
                await EndUnansweredAsync(call, outcome, detail);
            }
        }
        catch (Exception ex)
        {
            LogRequestFailed(_logger, ex, SipMethods.Invite, call.CallId);
            await EndUnansweredAsync(call, EndReasons.Error, "failed: " + ex.Message);
        }
    }

    /// <summary>Runs the INVITE to its end; the outcome when the call did not connect, null when it is up.</summary>
    private async Task<(string? Outcome, string? Detail)> InviteAsync(SipCall call, OutboundCallRequest request, ResolvedTrunk resolved)
    {
        var trunk = resolved.Options;
        var remote = await ResolveAsync(resolved);
        try
        {
            var rtp = await workers.OpenAsync(call.Worker!, new RtpSessionRequest(call.CallId), CancellationToken.None);
            call.LocalMedia = (rtp.Address, rtp.Port);
            call.RtpOpened = true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (EndReasons.Error, "failed: worker could not open RTP: " + ex.Message);
        }

        var domain = string.IsNullOrEmpty(trunk.Domain) ? trunk.Address.Split(':')[0] : trunk.Domain;
        var user = Uri.EscapeDataString(request.To).Replace("%2B", "+", StringComparison.Ordinal);
        var requestUri = $"sip:{user}@{domain}";
        var localTag = NewTag();
        var from = $"<sip:{(request.From is null ? "vox" : Uri.EscapeDataString(request.From).Replace("%2B", "+", StringComparison.Ordinal))}@{Host}>;tag={localTag}";
        var to = $"<{requestUri}>";
        var sipCallId = $"{RandomToken(12)}@{Host}";
        var offer = SessionDescription.Write(call.SdpVersion, call.LocalMedia.Address, call.LocalMedia.Port, [RtpPcmu, RtpPcma], 101);
        string? authorization = null;
        string? authorizationHeader = null;
        for (var attempt = 1; ; attempt++)
        {
            var invite = new SipRequest { Method = SipMethods.Invite, RequestUri = requestUri };
            invite.Headers.Add(SipHeaderNames.Via, Via(remote)).Add(SipHeaderNames.MaxForwards, "70").Add(SipHeaderNames.From, from).Add(SipHeaderNames.To, to)
                .Add(SipHeaderNames.CallId, sipCallId).Add(SipHeaderNames.CSeq, $"{attempt} INVITE").Add(SipHeaderNames.Contact, Contact(remote))
                .Add(SipHeaderNames.Allow, SipMethods.Allowed).Add(SipHeaderNames.UserAgent, "Vox");
            if (authorization is not null)
            {
                invite.Headers.Add(authorizationHeader!, authorization);
            }

            invite.SetBody("application/sdp", offer);
            var transaction = Layer.SendRequest(invite, remote);
            var ringing = false;
            var alerted = false;
            transaction.Provisional = response =>
            {
                ringing = true;
                if (response.StatusCode is 180 or 183 && !alerted)
                {
                    alerted = true;
                    _ = grains.GetGrain<ICallGrain>(call.CallId).TransitionAsync(CallState.Ringing, call.Worker!.WorkerId, CancellationToken.None);
                }
            };

            using var ringTimeout = CancellationTokenSource.CreateLinkedTokenSource(call.Abort.Token);
            ringTimeout.CancelAfter(TimeSpan.FromSeconds(_options.RingTimeoutSeconds));
            var cancelled = false;
            using (ringTimeout.Token.Register(() =>
            {
                cancelled = true;
                _ = Layer.SendRequest(Cancel(invite), remote);
            }))
            {
                var final = await transaction.Final;
                if (final.StatusCode is >= 200 and < 300)
                {
                    return await ConnectAsync(call, invite, final, remote) ? (null, null) : (EndReasons.Error, "failed: the answer had no usable SDP");
                }

                if (final.StatusCode is 401 or 407 && attempt == 1 && trunk.Username is not null)
                {
                    var (challengeHeader, answerHeader) = DigestCredentials.Headers(final.StatusCode);
                    authorization = final.Headers[challengeHeader] is { } challenge
                        ? DigestCredentials.Answer(challenge, SipMethods.Invite, requestUri, trunk.Username, trunk.Password ?? "")
                        : null;
                    authorizationHeader = answerHeader;
                    if (authorization is not null)
                    {
                        continue;
                    }
                }

                return Outcome(final, cancelled, ringing);
            }
        }
    }

    private const int RtpPcmu = 0;
    private const int RtpPcma = 8;

    private static (string Outcome, string Detail) Outcome(SipResponse final, bool cancelled, bool ringing)
    {
        var detail = $"{final.StatusCode} {final.Reason}";
        return final.StatusCode switch
        {
            487 when cancelled => (EndReasons.NoAnswer, "no answer before the ring timeout"),
            _ when final.Reason == ClientTransaction.TransportFailedReason => (EndReasons.Error, "failed: " + detail),
            408 when !ringing => (EndReasons.Error, "failed: the trunk never answered"),
            408 or 480 => (EndReasons.NoAnswer, detail),
            486 or 600 => (EndReasons.Busy, detail),
            >= 400 => (EndReasons.Rejected, detail),
            _ => (EndReasons.Error, "failed: " + detail),
        };
    }

    private async Task<bool> ConnectAsync(SipCall call, SipRequest invite, SipResponse ok, SipRemote remote)
    {
        var dialog = new SipDialog(invite.CallId, invite.From!.Tag!, ok.To?.Tag ?? "", invite.Headers[SipHeaderNames.From]!, ok.Headers[SipHeaderNames.To]!,
            RemoteTarget(ok), ok.Headers.GetAll(SipHeaderNames.RecordRoute).Reverse().ToList(), invite.CSeq!.Number, 0, remote);
        call.Dialog = dialog;
        _dialogs[dialog.Id] = call;
        var ack = dialog.CreateRequest(SipMethods.Ack, Via(remote), Contact(remote), invite.CSeq.Number);
        await Layer.SendQuietlyAsync(ack, remote);
        if (!SessionDescription.TryParse(ok.BodyText, out var answer) || SdpAnswer.Negotiate(answer, out _) is not { } media)
        {
            await HangUpAsync(call, EndReasons.Error, "the answer had no usable SDP");
            return true;
        }

        call.Media = media;
        lock (call.Gate)
        {
            call.Confirmed = true;
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

        return true;
    }

    /// <summary>CANCEL for a pending INVITE (RFC 3261 section 9.1): same Request-URI, Call-ID, From, To, top Via and CSeq number.</summary>
    private static SipRequest Cancel(SipRequest invite)
    {
        var cancel = new SipRequest { Method = SipMethods.Cancel, RequestUri = invite.RequestUri };
        cancel.Headers.Add(SipHeaderNames.Via, invite.Headers[SipHeaderNames.Via]!).Add(SipHeaderNames.MaxForwards, "70")
            .Add(SipHeaderNames.From, invite.Headers[SipHeaderNames.From]!).Add(SipHeaderNames.To, invite.Headers[SipHeaderNames.To]!)
            .Add(SipHeaderNames.CallId, invite.CallId).Add(SipHeaderNames.CSeq, $"{invite.CSeq!.Number} CANCEL");
        return cancel;
    }

    private async Task<SipRemote> ResolveAsync(ResolvedTrunk resolved)
    {
        var trunk = resolved.Options;
        var (host, port) = Vox.Grains.Trunks.SipTrunkRules.SplitAddress(trunk.Address)
            ?? throw new InvalidOperationException($"Trunk '{resolved.Name}' has the address '{trunk.Address}', which is not host or host:port.");
        var address = IPAddress.TryParse(host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(host)).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        // A tenant's own trunk is a destination the tenant chose: it passes the egress policy like its webhooks and tools.
        if (resolved.Stored && egress.Refusal(address) is { } why)
        {
            throw new EgressRefusedException($"Refused to connect to {host}: {why}.");
        }

        return new SipRemote(trunk.Transport.Equals("tcp", StringComparison.OrdinalIgnoreCase) ? "TCP" : "UDP", new IPEndPoint(address, port));
    }

    /// <summary>
    /// Blind transfer (RFC 3515): sends REFER in the call's dialog with <paramref name="target"/> (E.164 or SIP URI) as
    /// Refer-To. The answer (202 or a failure) and the transferee's NOTIFY progress are recorded as call events; a 2xx
    /// sipfrag ends the call <c>transferred</c>. False when this gateway does not carry the call's dialog or REFER was refused.
    /// </summary>
    public async Task<TransferOutcome> TransferAsync(string callId, string target, CancellationToken cancellationToken)
    {
        if (!_calls.TryGetValue(callId, out var call) || call.Dialog is not { } dialog || !call.Confirmed)
        {
            return TransferOutcome.NotHere;
        }

        var referTo = target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || target.StartsWith("sips:", StringComparison.OrdinalIgnoreCase)
            ? target
            : $"sip:{target}@{dialog.Remote.EndPoint.Address}";
        var refer = dialog.CreateRequest(SipMethods.Refer, Via(dialog.Remote), Contact(dialog.Remote));
        refer.Headers.Add(SipHeaderNames.ReferTo, $"<{referTo}>").Add(SipHeaderNames.ReferredBy, $"<sip:vox@{Host}:{Port}>");
        var final = await Layer.SendRequest(refer, dialog.Remote).Final.WaitAsync(cancellationToken);
        var accepted = final.StatusCode is >= 200 and < 300;
        await AppendEventAsync(call, accepted ? "transfer_requested" : "transfer_failed", new { target = referTo, status = final.StatusCode, reason = final.Reason });
        LogTransfer(_logger, callId, referTo, final.StatusCode);
        return accepted ? TransferOutcome.Accepted : TransferOutcome.Refused;
    }

    private async Task OnNotifyAsync(SipCall call, SipRequest notify)
    {
        // The transferee reports the REFER's progress as a sipfrag: "SIP/2.0 200 OK" means the transfer target answered.
        var frag = notify.BodyText.Split('\n')[0].Trim();
        var parts = frag.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("SIP/", StringComparison.Ordinal) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var status) || status < 200)
        {
            return;
        }

        if (status < 300)
        {
            await AppendEventAsync(call, "transfer_completed", new { status });
            await HangUpAsync(call, EndReasons.Transferred, "transferred (REFER)");
        }
        else
        {
            await AppendEventAsync(call, "transfer_failed", new { status, reason = parts.Length > 2 ? parts[2] : "" });
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: REFER to {Target} answered {Status}")]
    private static partial void LogTransfer(ILogger logger, string callId, string target, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} already exists ({State}); it is not dialled again")]
    private static partial void LogAlreadyPlaced(ILogger logger, string callId, CallState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: outbound call ended {Outcome} ({Detail})")]
    private static partial void LogOutcome(ILogger logger, string callId, string outcome, string detail);
}
