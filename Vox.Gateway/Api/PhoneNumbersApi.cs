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
using Vox.Grains.Numbers;

namespace Vox.Gateway.Api;

/// <summary><c>/v1/phone-numbers</c>: E.164 numbers (unique across tenants) and the bot that answers each.</summary>
internal static partial class PhoneNumbersApi
{
    /// <summary>Maps the phone-number endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapPhoneNumbersApi(this IEndpointRouteBuilder v1)
    {
        var numbers = v1.MapGroup("/phone-numbers").WithTags("Phone numbers");
        numbers.MapPost("", CreatePhoneNumberAsync).WithName("CreatePhoneNumber").WithSummary("Add a phone number")
            .AcceptsJson<PhoneNumberInput>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        numbers.MapGet("", ListPhoneNumbersAsync).WithName("ListPhoneNumbers").WithSummary("List the phone numbers, newest first").ProducesValidationProblem();
        numbers.MapGet("/{id}", GetPhoneNumberAsync).WithName("GetPhoneNumber").WithSummary("Get a phone number").ProducesProblem(StatusCodes.Status404NotFound);
        numbers.MapPut("/{id}", ReplacePhoneNumberAsync).WithName("ReplacePhoneNumber").WithSummary("Replace a phone number's fields")
            .AcceptsJson<PhoneNumberInput>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        numbers.MapDelete("/{id}", DeletePhoneNumberAsync).WithName("DeletePhoneNumber").WithSummary("Remove a phone number").ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>Adds a number; 409 if any tenant has it, 404 naming <c>botId</c> if the bot is not the caller's.</summary>
    public static async Task<Results<Created<PhoneNumberResponse>, ProblemHttpResult>> CreatePhoneNumberAsync(
        HttpRequest request, ClaimsPrincipal user, IPhoneNumberCatalog catalog, Sip.SipTrunkDirectory trunks, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<PhoneNumberInput>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = await ValidateAsync(caller.TenantId, body.Value, trunks, cancellationToken).ConfigureAwait(false);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        try
        {
            var number = await catalog.CreateAsync(caller.TenantId, body.Value, cancellationToken).ConfigureAwait(false);
            LogCreated(loggers.CreateLogger(typeof(PhoneNumbersApi)), number.Id, caller.TenantId);
            return TypedResults.Created($"/v1/phone-numbers/{number.Id}", PhoneNumberResponse.From(number));
        }
        catch (NotFoundException ex) when (ex.Entity == "bot")
        {
            return BotNotFound(ex);
        }
    }

    /// <summary>Lists the caller's numbers.</summary>
    public static async Task<Results<Ok<Page<PhoneNumberResponse>>, ProblemHttpResult>> ListPhoneNumbersAsync(
        ClaimsPrincipal user, IPhoneNumberCatalog catalog, [FromQuery] string? limit, [FromQuery] string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = QueryValues.Limit(limit, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var page = await catalog.ListAsync(user.GetCaller().TenantId, take, cursor, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Page<PhoneNumberResponse>(page.Items.Select(PhoneNumberResponse.From).ToList(), page.NextCursor));
    }

    /// <summary>One of the caller's numbers.</summary>
    public static async Task<Ok<PhoneNumberResponse>> GetPhoneNumberAsync(ClaimsPrincipal user, IPhoneNumberCatalog catalog, string id, CancellationToken cancellationToken) =>
        TypedResults.Ok(PhoneNumberResponse.From(await catalog.GetAsync(user.GetCaller().TenantId, id, cancellationToken).ConfigureAwait(false)));

    /// <summary>Replaces the number, its bot, label and trunk.</summary>
    public static async Task<Results<Ok<PhoneNumberResponse>, ProblemHttpResult>> ReplacePhoneNumberAsync(
        HttpRequest request, ClaimsPrincipal user, IPhoneNumberCatalog catalog, Sip.SipTrunkDirectory trunks, ILoggerFactory loggers, string id, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<PhoneNumberInput>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = await ValidateAsync(caller.TenantId, body.Value, trunks, cancellationToken).ConfigureAwait(false);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        try
        {
            var number = await catalog.UpdateAsync(caller.TenantId, id, body.Value, cancellationToken).ConfigureAwait(false);
            LogReplaced(loggers.CreateLogger(typeof(PhoneNumbersApi)), number.Id, caller.TenantId);
            return TypedResults.Ok(PhoneNumberResponse.From(number));
        }
        catch (NotFoundException ex) when (ex.Entity == "bot")
        {
            return BotNotFound(ex);
        }
    }

    /// <summary>Removes one of the caller's numbers.</summary>
    public static async Task<NoContent> DeletePhoneNumberAsync(ClaimsPrincipal user, IPhoneNumberCatalog catalog, ILoggerFactory loggers, string id, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        await catalog.DeleteAsync(caller.TenantId, id, cancellationToken).ConfigureAwait(false);
        LogDeleted(loggers.CreateLogger(typeof(PhoneNumbersApi)), id, caller.TenantId);
        return TypedResults.NoContent();
    }

    // The fields, then the trunk: a number whose trunk nobody has would take inbound calls from any source (the trunk's
    // AllowedSources are what guard it), so a name that is neither the tenant's stored trunk nor a configured one is refused.
    private static async Task<ValidationErrors> ValidateAsync(string tenantId, PhoneNumberInput input, Sip.SipTrunkDirectory trunks, CancellationToken cancellationToken)
    {
        var errors = Validate(input);
        if (errors.IsEmpty && input.Trunk is { } trunk)
        {
            await errors.CheckTrunkAsync(trunks, tenantId, trunk, cancellationToken).ConfigureAwait(false);
        }

        return errors;
    }

    /// <summary>What makes a number acceptable, keyed by field.</summary>
    internal static ValidationErrors Validate(PhoneNumberInput input)
    {
        var errors = new ValidationErrors();
        if (!E164.IsValid(input.Number))
        {
            errors.Add("number", "Must be an E.164 number: + then 7 to 15 digits, the first not 0 (e.g. +14155550123).");
        }

        if (input.BotId is not null && string.IsNullOrWhiteSpace(input.BotId))
        {
            errors.Add("botId", "Must be a bot id or null.");
        }

        errors.MaxLength("botId", input.BotId, 100);
        errors.MaxLength("label", input.Label, ValidationErrors.MaxNameLength);
        errors.MaxLength("trunk", input.Trunk, ValidationErrors.MaxNameLength);
        return errors;
    }

    private static ProblemHttpResult BotNotFound(NotFoundException ex) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, ex.Message, ex.Code, "botId");

    [LoggerMessage(Level = LogLevel.Information, Message = "Phone number {NumberId} added for tenant {TenantId}")]
    private static partial void LogCreated(ILogger logger, string numberId, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Phone number {NumberId} of tenant {TenantId} replaced")]
    private static partial void LogReplaced(ILogger logger, string numberId, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Phone number {NumberId} of tenant {TenantId} removed")]
    private static partial void LogDeleted(ILogger logger, string numberId, string tenantId);
}
