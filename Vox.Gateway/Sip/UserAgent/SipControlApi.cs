using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vox.Gateway.Api.Http;
using Vox.Grains.Internal;
using Vox.Grains.Media;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>
/// Call control a worker asks of the gateway that carries a SIP call's signalling, at the <c>ControlUrl</c> the gateway
/// gave it with the call (<see cref="InternalApi.SipCall"/>): <c>POST .../transfer</c> blind-transfers the call (REFER)
/// when the bot calls <c>transfer_call</c> or the caller presses a transfer digit. Mapped in the cluster-token group.
/// </summary>
public static class SipControlApi
{
    /// <summary>Maps <c>/sip/calls/{id}/transfer</c> in <paramref name="internalApi"/> (the <c>/internal/v1</c> group).</summary>
    public static IEndpointRouteBuilder MapSipControlEndpoints(this IEndpointRouteBuilder internalApi)
    {
        internalApi.MapPost("/sip/calls/{id}/transfer", TransferAsync);
        return internalApi;
    }

    /// <summary>202 when the far end accepted the REFER, 409 when it refused or this gateway does not carry the call, 400 on a bad target.</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> TransferAsync(HttpRequest request, string id, SipUserAgent sip, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CallTransferRequest>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        if (TransferTargets.Normalize(body.Value.To) is not { } target)
        {
            return ApiProblems.Validation("to", TransferTargets.Rule);
        }

        return ToResult(await sip.TransferAsync(id, target, cancellationToken).ConfigureAwait(false), $"/v1/calls/{id}");
    }

    /// <summary>The HTTP answer to a transfer's outcome.</summary>
    internal static Results<Accepted, ProblemHttpResult> ToResult(TransferOutcome outcome, string location) => outcome switch
    {
        TransferOutcome.Accepted => TypedResults.Accepted(location),
        TransferOutcome.Refused => ApiProblems.Problem(StatusCodes.Status409Conflict, "The far end refused the transfer.", "transfer_refused"),
        _ => ApiProblems.Problem(StatusCodes.Status409Conflict, "The call is not an answered SIP call on this gateway.", "transfer_unavailable"),
    };
}
