using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Contracts;
using Vox.Gateway.Api.Http;
using Vox.Grains;
using Vox.Grains.Net;
using Vox.Grains.Trunks;

namespace Vox.Gateway.Api;

/// <summary>
/// <c>/v1/sip-trunks</c>: the caller's own SIP trunks (a carrier such as Twilio Elastic SIP or Telnyx, or a PBX), found by
/// name before the operator's <c>Sip:Trunks</c> when numbers, calls and campaigns name a trunk. The digest password is
/// write-only and stored encrypted with <c>Secrets:Key</c>.
/// </summary>
internal static partial class SipTrunksApi
{
    /// <summary>Maps the trunk endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapSipTrunksApi(this IEndpointRouteBuilder v1)
    {
        var trunks = v1.MapGroup("/sip-trunks").WithTags("SIP trunks");
        trunks.MapPost("", CreateTrunkAsync).WithName("CreateSipTrunk").WithSummary("Add a SIP trunk (name, address, transport, domain, allowedSources, username, password)")
            .AcceptsJson<SipTrunkInput>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        trunks.MapGet("", ListTrunksAsync).WithName("ListSipTrunks").WithSummary("List the SIP trunks, newest first").ProducesValidationProblem();
        trunks.MapGet("/{id}", GetTrunkAsync).WithName("GetSipTrunk").WithSummary("Get a SIP trunk (never its password)").ProducesProblem(StatusCodes.Status404NotFound);
        trunks.MapPut("/{id}", ReplaceTrunkAsync).WithName("ReplaceSipTrunk")
            .WithSummary("Replace a SIP trunk's fields; a password left out is kept, \"\" removes it")
            .AcceptsJson<SipTrunkInput>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        trunks.MapDelete("/{id}", DeleteTrunkAsync).WithName("DeleteSipTrunk").WithSummary("Remove a SIP trunk; 409 while phone numbers use it")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return v1;
    }

    /// <summary>Adds a trunk; 409 when the caller has one of that name.</summary>
    public static async Task<Results<Created<SipTrunkResponse>, ProblemHttpResult>> CreateTrunkAsync(
        HttpRequest request, ClaimsPrincipal user, ISipTrunkCatalog catalog, EgressPolicy egress, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<SipTrunkInput>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = await ValidateAsync(body.Value, egress, cancellationToken).ConfigureAwait(false);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var trunk = await catalog.CreateAsync(caller.TenantId, body.Value, cancellationToken).ConfigureAwait(false);
        LogCreated(loggers.CreateLogger(typeof(SipTrunksApi)), trunk.Id, trunk.Name, caller.TenantId);
        return TypedResults.Created($"/v1/sip-trunks/{trunk.Id}", SipTrunkResponse.From(trunk));
    }

    /// <summary>The caller's trunks, <c>limit</c> (1-200, default 50) per page from <c>cursor</c>.</summary>
    public static async Task<Results<Ok<Page<SipTrunkResponse>>, ProblemHttpResult>> ListTrunksAsync(
        ClaimsPrincipal user, ISipTrunkCatalog catalog, [FromQuery] string? limit, [FromQuery] string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = QueryValues.Limit(limit, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var page = await catalog.ListAsync(user.GetCaller().TenantId, take, string.IsNullOrEmpty(cursor) ? null : cursor, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Page<SipTrunkResponse>(page.Items.Select(SipTrunkResponse.From).ToList(), page.NextCursor));
    }

    /// <summary>One of the caller's trunks; another tenant's is 404.</summary>
    public static async Task<Ok<SipTrunkResponse>> GetTrunkAsync(ClaimsPrincipal user, ISipTrunkCatalog catalog, string id, CancellationToken cancellationToken) =>
        TypedResults.Ok(SipTrunkResponse.From(await catalog.GetAsync(user.GetCaller().TenantId, id, cancellationToken).ConfigureAwait(false)));

    /// <summary>Replaces a trunk's fields.</summary>
    public static async Task<Results<Ok<SipTrunkResponse>, ProblemHttpResult>> ReplaceTrunkAsync(
        HttpRequest request, ClaimsPrincipal user, ISipTrunkCatalog catalog, EgressPolicy egress, ILoggerFactory loggers, string id, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<SipTrunkInput>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = await ValidateAsync(body.Value, egress, cancellationToken).ConfigureAwait(false);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var trunk = await catalog.UpdateAsync(caller.TenantId, id, body.Value, cancellationToken).ConfigureAwait(false);
        LogReplaced(loggers.CreateLogger(typeof(SipTrunksApi)), trunk.Id, caller.TenantId);
        return TypedResults.Ok(SipTrunkResponse.From(trunk));
    }

    /// <summary>Removes one of the caller's trunks; 409 <c>trunk_in_use</c> while phone numbers name it (campaigns naming it then fail their attempts with the reason).</summary>
    public static async Task<NoContent> DeleteTrunkAsync(ClaimsPrincipal user, ISipTrunkCatalog catalog, ILoggerFactory loggers, string id, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        await catalog.DeleteAsync(caller.TenantId, id, cancellationToken).ConfigureAwait(false);
        LogDeleted(loggers.CreateLogger(typeof(SipTrunksApi)), id, caller.TenantId);
        return TypedResults.NoContent();
    }

    // Every field's problems, then (when the address is well formed) the egress policy on where SIP would be sent.
    private static async Task<ValidationErrors> ValidateAsync(SipTrunkInput input, EgressPolicy egress, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        foreach (var (field, message) in SipTrunkRules.Problems(input))
        {
            errors.Add(field, message);
        }

        if (errors.IsEmpty && SipTrunkRules.SplitAddress(input.Address) is var (host, _))
        {
            await errors.CheckHostEgressAsync(egress, "address", host, cancellationToken).ConfigureAwait(false);
        }

        return errors;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP trunk {TrunkId} ({Name}) added for tenant {TenantId}")]
    private static partial void LogCreated(ILogger logger, string trunkId, string name, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP trunk {TrunkId} of tenant {TenantId} replaced")]
    private static partial void LogReplaced(ILogger logger, string trunkId, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP trunk {TrunkId} of tenant {TenantId} removed")]
    private static partial void LogDeleted(ILogger logger, string trunkId, string tenantId);
}
