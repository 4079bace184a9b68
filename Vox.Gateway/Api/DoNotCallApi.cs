using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Http;
using Vox.Grains.Campaigns;
using Vox.Grains.Numbers;

namespace Vox.Gateway.Api;

/// <summary><c>/v1/do-not-call</c>: the tenant's numbers that no campaign dials.</summary>
internal static class DoNotCallApi
{
    /// <summary>Maps the do-not-call endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapDoNotCallApi(this IEndpointRouteBuilder v1)
    {
        var list = v1.MapGroup("/do-not-call").WithTags("Do not call");
        list.MapPost("", AddAsync).WithName("AddDoNotCall").WithSummary("Add E.164 numbers to the tenant's do-not-call list")
            .AcceptsJson<DoNotCallInput>().ProducesValidationProblem();
        list.MapGet("", ListAsync).WithName("ListDoNotCall").WithSummary("The tenant's do-not-call numbers");
        list.MapDelete("/{phone}", RemoveAsync).WithName("RemoveDoNotCall").WithSummary("Remove a number from the list")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>Adds the numbers (already listed ones are kept); 400 naming the first bad entry.</summary>
    public static async Task<Results<Ok<DoNotCallAdded>, ProblemHttpResult>> AddAsync(
        HttpRequest request, ClaimsPrincipal user, ICampaignDirectory directory, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<DoNotCallInput>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var phones = body.Value.Phones;
        if (phones is null || phones.Count is 0 or > 10_000)
        {
            return ApiProblems.Validation("phones", "Must list 1 to 10,000 E.164 numbers.");
        }

        for (var i = 0; i < phones.Count; i++)
        {
            if (!E164.IsValid(phones[i]))
            {
                return ApiProblems.Validation($"phones[{i}]", "Must be an E.164 number: + then 7 to 15 digits.");
            }
        }

        var added = await directory.AddDoNotCallAsync(user.GetCaller().TenantId, phones, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new DoNotCallAdded(added));
    }

    /// <summary>The tenant's list, sorted.</summary>
    public static async Task<Ok<DoNotCallInput>> ListAsync(ClaimsPrincipal user, ICampaignDirectory directory, CancellationToken cancellationToken) =>
        TypedResults.Ok(new DoNotCallInput(await directory.ListDoNotCallAsync(user.GetCaller().TenantId, cancellationToken).ConfigureAwait(false)));

    /// <summary>Removes one number; 404 if it was not listed.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(ClaimsPrincipal user, ICampaignDirectory directory, string phone, CancellationToken cancellationToken) =>
        await directory.RemoveDoNotCallAsync(user.GetCaller().TenantId, phone, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : ApiProblems.Problem(StatusCodes.Status404NotFound, $"'{phone}' is not on the do-not-call list.", "not_found", "phone");

    /// <summary>Numbers on (or to add to) the list.</summary>
    public sealed record DoNotCallInput(IReadOnlyList<string>? Phones);

    /// <summary>How many numbers were new to the list.</summary>
    public sealed record DoNotCallAdded(int Added);
}
