using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Vox.Gateway.Agi;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Contracts;
using Vox.Gateway.Api.Http;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary><c>POST /v1/calls</c> places an outbound call through a SIP trunk; <c>POST /v1/calls/{id}/transfer</c> transfers one (SIP REFER).</summary>
internal static class OutboundCallsApi
{
    /// <summary>
    /// Validates the request (bot of the caller's, <c>to</c> a number, a trunk of the tenant's or a configured one), reserves an outbound slot and
    /// starts dialling; 201 with the call (follow it with <c>GET /v1/calls/{id}</c>), 503 when no slot is free.
    /// </summary>
    public static async Task<Results<Created<CallResponse>, ProblemHttpResult>> CreateCallAsync(
        HttpRequest request, ClaimsPrincipal user, SipUserAgent sip, SipTrunkDirectory trunks, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<OutboundCallRequest>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var input = body.Value;
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(input.BotId))
        {
            errors.Add("botId", "Required.");
        }

        var to = AgiNumbers.ToE164(input.To);
        if (to is null)
        {
            errors.Add("to", "Must be an E.164 number: + then 7 to 15 digits.");
        }

        if (input.From is not null && AgiNumbers.ToE164(input.From) is null)
        {
            errors.Add("from", "Must be an E.164 number when given.");
        }

        await errors.CheckTrunkAsync(trunks, caller.TenantId, input.Trunk, cancellationToken).ConfigureAwait(false);

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        if (!sip.IsRunning)
        {
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "SIP is not running on this gateway (Sip:Enabled, or its port was taken).", "sip_unavailable");
        }

        // Another tenant's bot is not found (404).
        await grains.GetGrain<IBotGrain>(input.BotId).GetAsync(caller.TenantId, cancellationToken).ConfigureAwait(false);
        // The call id is always new here: fixed ids are for campaign attempts, not for API callers to choose.
        var placed = await sip.PlaceCallAsync(caller.TenantId, input with { To = to!, From = AgiNumbers.ToE164(input.From), CallId = null }, cancellationToken).ConfigureAwait(false);
        if (placed.Reservation is not { Granted: true })
        {
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, placed.Reservation?.Message ?? "The call was not placed.", "no_capacity");
        }

        var record = await grains.GetGrain<ICallGrain>(placed.CallId).GetAsync(caller.TenantId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/v1/calls/{placed.CallId}", CallResponse.FromRecord(record));
    }

    /// <summary>Blind-transfers an answered SIP call: 202 when the far end accepted the REFER, 409 when it refused or the call is not up here.</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> TransferCallAsync(
        HttpRequest request, ClaimsPrincipal user, string id, SipUserAgent sip, ClusterTransfer cluster, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<TransferCallRequest>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        if (TransferTargets.Normalize(body.Value.To) is not { } target)
        {
            return ApiProblems.Validation("to", TransferTargets.Rule);
        }

        // Another tenant's call is not found (404).
        var record = await grains.GetGrain<ICallGrain>(id).GetAsync(caller.TenantId, cancellationToken).ConfigureAwait(false);
        var outcome = await sip.TransferAsync(id, target, cancellationToken).ConfigureAwait(false);
        if (outcome == TransferOutcome.NotHere && record.Transport == "sip" && record.State != CallState.Ended)
        {
            // Behind a load balancer the request may reach a silo that does not carry the dialog: the one that does sends the REFER.
            outcome = await cluster.TransferAsync(id, target, cancellationToken).ConfigureAwait(false);
        }

        return SipControlApi.ToResult(outcome, $"/v1/calls/{id}");
    }
}
