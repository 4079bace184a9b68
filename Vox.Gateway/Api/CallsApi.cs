using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Contracts;
using Vox.Gateway.Api.Http;
using Vox.Grains;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Numbers;

namespace Vox.Gateway.Api;

/// <summary><c>/v1/calls</c>: the caller's call log, filtered and paged, and one call with its transcript and timeline.</summary>
internal static class CallsApi
{
    /// <summary>Maps the call endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapCallsApi(this IEndpointRouteBuilder v1)
    {
        var calls = v1.MapGroup("/calls").WithTags("Calls");
        calls.MapGet("", ListCallsAsync).WithName("ListCalls")
            .WithSummary("List calls, newest first, filtered by state, botId, direction, number (from or to) and createdAfter/createdBefore (ISO 8601)")
            .ProducesValidationProblem();
        calls.MapPost("", Sip.UserAgent.OutboundCallsApi.CreateCallAsync).WithName("CreateCall")
            .WithSummary("Place an outbound call: botId, to (E.164), from, trunk (Sip:Trunks), metadata")
            .AcceptsJson<Sip.UserAgent.OutboundCallRequest>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        calls.MapPost("/{id}/transfer", Sip.UserAgent.OutboundCallsApi.TransferCallAsync).WithName("TransferCall")
            .WithSummary("Blind-transfer an answered SIP call (REFER) to an E.164 number or SIP URI")
            .AcceptsJson<Sip.UserAgent.TransferCallRequest>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        calls.MapGet("/{id}", GetCallAsync).WithName("GetCall").WithSummary("Get a call with its transcript turns and events")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>The caller's calls matching the filters, <c>limit</c> (1-200, default 50) per page from <c>cursor</c>.</summary>
    public static async Task<Results<Ok<Page<CallResponse>>, ProblemHttpResult>> ListCallsAsync(
        ClaimsPrincipal user,
        ICallCatalog catalog,
        [FromQuery] string? state,
        [FromQuery] string? botId,
        [FromQuery] string? direction,
        [FromQuery] string? number,
        [FromQuery] string? createdAfter,
        [FromQuery] string? createdBefore,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var query = new CallQuery
        {
            State = QueryValues.Enum<CallState>(state, "state", errors),
            BotId = string.IsNullOrEmpty(botId) ? null : botId,
            Direction = QueryValues.Enum<CallDirection>(direction, "direction", errors),
            Number = Number(number, errors),
            CreatedAfter = QueryValues.Instant(createdAfter, "createdAfter", errors),
            CreatedBefore = QueryValues.Instant(createdBefore, "createdBefore", errors),
            Limit = QueryValues.Limit(limit, errors),
            Cursor = string.IsNullOrEmpty(cursor) ? null : cursor,
        };
        if (query.CreatedAfter > query.CreatedBefore)
        {
            errors.Add("createdBefore", "Must not be earlier than createdAfter.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var page = await catalog.ListAsync(user.GetCaller().TenantId, query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Page<CallResponse>(page.Items.Select(c => CallResponse.FromRecord(c)).ToList(), page.NextCursor));
    }

    /// <summary>One of the caller's calls, with its transcript turns and timeline events.</summary>
    public static async Task<Ok<CallResponse>> GetCallAsync(ClaimsPrincipal user, IGrainFactory grains, string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new NotFoundException("call", id);
        }

        var tenantId = user.GetCaller().TenantId;
        var call = grains.GetGrain<ICallGrain>(id);
        var record = await call.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var turns = await call.GetTurnsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var events = await call.GetEventsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(CallResponse.FromRecord(record, turns, events));
    }

    private static string? Number(string? raw, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        // An unencoded '+' in a query string arrives as a space; take it for the '+' the caller meant.
        var number = raw[0] == ' ' ? "+" + raw.TrimStart() : raw;
        if (!E164.IsValid(number))
        {
            errors.Add("number", "Must be an E.164 number: + (sent as %2B) then 7 to 15 digits.");
            return null;
        }

        return number;
    }
}
