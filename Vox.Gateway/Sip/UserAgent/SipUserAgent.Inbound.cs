using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Agi;
using Vox.Gateway.Sip.Dialogs;
using Vox.Gateway.Sip.Messages;
using Vox.Gateway.Sip.Sdp;
using Vox.Gateway.Sip.Transactions;
using Vox.Gateway.Sip.Transport;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Media;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>Inbound calls: INVITE to a number, through to the 200 OK that points the caller's RTP at the worker.</summary>
public sealed partial class SipUserAgent
{
    /// <summary>The header an Asterisk dialplan adds with the bot FastAGI chose (see <c>docs/sip.md</c>).</summary>
    public const string AssistantHeader = "X-Vox-Assistant-ID";

    private async Task OnInviteAsync(SipRequest invite, SipRemote remote, ServerInviteTransaction transaction)
    {
        var toTag = NewTag();
        var dialled = AgiNumbers.ToE164(SipUri.TryParse(invite.RequestUri, out var ruri) ? ruri.DecodedUser : null)
                      ?? AgiNumbers.ToE164(invite.To?.Uri.DecodedUser);
        var phone = dialled is null ? null : await numbers.FindByNumberAsync(dialled, CancellationToken.None);
        string? tenantId = phone?.TenantId, botId = phone?.BotId;
        if (botId is null && invite.Headers[AssistantHeader] is { Length: > 0 } assistant)
        {
            try
            {
                var config = await grains.GetGrain<IBotGrain>(assistant).GetRuntimeConfigAsync(CancellationToken.None);
                (tenantId, botId) = (config.TenantId, config.BotId);
            }
            catch (NotFoundException)
            {
            }
        }

        if (botId is null || tenantId is null)
        {
            LogUnknownNumber(_logger, dialled ?? invite.RequestUri, remote.ToString());
            transaction.Respond(SipResponse.Create(invite, 404, toTag: toTag));
            return;
        }

        if (!await TrunkAllowsAsync(tenantId, phone?.Trunk, remote.EndPoint.Address))
        {
            LogForbidden(_logger, dialled ?? "", remote.ToString(), phone?.Trunk ?? "");
            transaction.Respond(SipResponse.Create(invite, 403, toTag: toTag));
            return;
        }

        SdpAnswer? media = null;
        if (!(invite.Headers[SipHeaderNames.ContentType] ?? "").StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase)
            || !SessionDescription.TryParse(invite.BodyText, out var offer) || (media = SdpAnswer.Negotiate(offer, out var mediaIndex)) is null)
        {
            transaction.Respond(SipResponse.Create(invite, 488, toTag: toTag));
            return;
        }

        var callId = "call_" + Guid.CreateVersion7().ToString("N");
        var call = new SipCall(callId, tenantId, botId, CallDirection.Inbound) { Media = media, InviteTransaction = transaction };
        _pending[transaction] = call;
        var from = AgiNumbers.ToE164(invite.From?.Uri.DecodedUser) ?? invite.From?.Uri.DecodedUser;
        var metadata = new Dictionary<string, string> { ["sip_call_id"] = invite.CallId, ["sip_source"] = remote.ToString() };
        await grains.GetGrain<ICallGrain>(callId).StartAsync(new CallStart(tenantId, botId, CallDirection.Inbound, "sip", from, dialled, Metadata: metadata), CancellationToken.None);
        var reservation = !admission.Accepting ? Admission.CallAdmission.Refused : await grains.GetGrain<ICapacityGrain>(fleet.Value.DefaultPool)
            .ReserveAsync(new ReservationRequest(tenantId, callId, CallDirection.Inbound), CancellationToken.None);
        if (!reservation.Granted)
        {
            _pending.TryRemove(transaction, out _);
            LogBusy(_logger, callId, reservation.Message);
            var busy = SipResponse.Create(invite, _options.BusyStatus == 486 ? 486 : 503, toTag: toTag);
            busy.Headers.Add(SipHeaderNames.RetryAfter, _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
            transaction.Respond(busy);
            await EndCallQuietlyAsync(callId, EndReasons.NoCapacity, reservation.Message);
            return;
        }

        call.Worker = reservation.Worker;
        _calls[callId] = call;
        admission.Add(callId, reservation.Worker?.MediaUrl);
        var dialog = new SipDialog(invite.CallId, toTag, invite.From!.Tag ?? "", invite.Headers[SipHeaderNames.To]! + ";tag=" + toTag,
            invite.Headers[SipHeaderNames.From]!, RemoteTarget(invite), invite.Headers.GetAll(SipHeaderNames.RecordRoute).ToList(), 0, invite.CSeq!.Number, remote);
        call.Dialog = dialog;
        _dialogs[dialog.Id] = call;
        if (!RespondUnlessCancelled(call, transaction, Provisional(invite, 180, toTag, remote)))
        {
            return;
        }

        await grains.GetGrain<ICallGrain>(callId).TransitionAsync(CallState.Ringing, reservation.Worker!.WorkerId, CancellationToken.None);
        if (_options.AnswerDelayMs > 0)
        {
            await Task.Delay(_options.AnswerDelayMs, call.Abort.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (transaction.HasFinalResponse)
        {
            // A CANCEL answered the INVITE while it rang.
            await EndUnansweredAsync(call, EndReasons.Cancelled, "CANCEL before answer");
            return;
        }
        try
        {
            var rtp = await workers.OpenAsync(reservation.Worker!, new RtpSessionRequest(callId, media.RemoteAddress, media.RemotePort, media.PayloadType, media.DtmfPayloadType), CancellationToken.None);
            call.LocalMedia = (rtp.Address, rtp.Port);
            call.RtpOpened = true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            LogWorkerFailed(_logger, callId, ex.Message);
            var unavailable = SipResponse.Create(invite, 503, toTag: toTag);
            unavailable.Headers.Add(SipHeaderNames.RetryAfter, _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
            RespondUnlessCancelled(call, transaction, unavailable);
            await EndUnansweredAsync(call, EndReasons.Error, "worker could not open RTP: " + ex.Message);
            return;
        }

        var ok = SipResponse.Create(invite, 200, toTag: toTag);
        ok.Headers.Add(SipHeaderNames.Contact, Contact(remote)).Add(SipHeaderNames.Allow, SipMethods.Allowed).CopyFrom(invite.Headers, SipHeaderNames.RecordRoute);
        ok.SetBody("application/sdp", SessionDescription.Write(call.SdpVersion, call.LocalMedia.Address, call.LocalMedia.Port, [media.PayloadType],
            media.DtmfPayloadType, media.AnswerDirection, offer.Media.Where((_, i) => i != mediaIndex).ToList()));
        transaction.AckTimedOut += _ => Task.Run(() => HangUpAsync(call, EndReasons.Error, "no ACK for the 200 OK"));
        if (!RespondUnlessCancelled(call, transaction, ok))
        {
            return;
        }

        LogAccepted(_logger, callId, dialled ?? "", botId, reservation.Worker!.WorkerId);
    }

    /// <summary>Sends a response on the INVITE unless a CANCEL won the race; then the call's resources are freed here.</summary>
    private bool RespondUnlessCancelled(SipCall call, ServerInviteTransaction transaction, SipResponse response)
    {
        lock (call.Gate)
        {
            if (!call.Cancelled && transaction.Respond(response))
            {
                return true;
            }
        }

        _ = Task.Run(() => EndUnansweredAsync(call, EndReasons.Cancelled, "CANCEL before answer"));
        return false;
    }

    private SipResponse Provisional(SipRequest invite, int status, string toTag, SipRemote remote)
    {
        var response = SipResponse.Create(invite, status, toTag: toTag);
        response.Headers.Add(SipHeaderNames.Contact, Contact(remote)).CopyFrom(invite.Headers, SipHeaderNames.RecordRoute);
        return response;
    }

    private static string RemoteTarget(SipMessage message) =>
        NameAddress.TryParse(message.Headers[SipHeaderNames.Contact], out var contact) ? contact.Uri.ToString() : message.From!.Uri.ToString();

    private async Task<bool> TrunkAllowsAsync(string tenantId, string? trunk, IPAddress source)
    {
        if (trunk is null || await trunkDirectory.ResolveAsync(tenantId, trunk, CancellationToken.None) is not { } resolved || resolved.Options.AllowedSources.Count == 0)
        {
            return true;
        }

        foreach (var allowed in resolved.Options.AllowedSources)
        {
            if (Vox.Grains.Trunks.SipTrunkRules.TryParseSource(allowed, out var network) && network.Contains(source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP INVITE for {Number} from {Remote}: not a Vox number (404)")]
    private static partial void LogUnknownNumber(ILogger logger, string number, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP INVITE for {Number} from {Remote}: source not allowed by trunk {Trunk} (403)")]
    private static partial void LogForbidden(ILogger logger, string number, string remote, string trunk);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: fleet full, refused ({Why})")]
    private static partial void LogBusy(ILogger logger, string callId, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: {Number} answered for bot {BotId} on worker {WorkerId}")]
    private static partial void LogAccepted(ILogger logger, string callId, string number, string botId, string workerId);
}
