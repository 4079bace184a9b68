using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Contracts;
using Vox.Gateway.Api.Http;
using Vox.Grains;
using Vox.Grains.Secrets;

namespace Vox.Gateway.Api;

/// <summary>
/// <c>/v1/provider-keys</c>: the tenant's provider keys (<c>deepgram</c>, <c>openai</c>, <c>elevenlabs</c>...) and tool
/// secrets (referenced as <c>{{secret:NAME}}</c> in tool headers), stored encrypted. Values go in and never come out.
/// </summary>
internal static partial class ProviderKeysApi
{
    /// <summary>Maps the provider-key endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapProviderKeysApi(this IEndpointRouteBuilder v1)
    {
        var keys = v1.MapGroup("/provider-keys").WithTags("Provider keys");
        keys.MapPut("/{name}", SetAsync).WithName("SetProviderKey").WithSummary("Store a provider key or tool secret (encrypted; never returned)")
            .AcceptsJson<SetProviderKeyRequest>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        keys.MapGet("", ListAsync).WithName("ListProviderKeys").WithSummary("List the stored key names (no values)");
        keys.MapDelete("/{name}", DeleteAsync).WithName("DeleteProviderKey").WithSummary("Remove a key").ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>Stores a key.</summary>
    public static async Task<Results<Ok<TenantSecretInfo>, ProblemHttpResult>> SetAsync(
        HttpRequest request, ClaimsPrincipal user, ITenantSecrets secrets, ILoggerFactory loggers, string name, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<SetProviderKeyRequest>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = new ValidationErrors();
        if (!ValidName().IsMatch(name))
        {
            errors.Add("name", "Use 1-64 characters: lower-case letters, digits, '_', '-' or '.'.");
        }

        errors.Required("value", body.Value.Value, 8192);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var caller = user.GetCaller();
        try
        {
            var info = await secrets.SetAsync(caller.TenantId, name, body.Value.Value.Trim(), cancellationToken).ConfigureAwait(false);
            LogStored(loggers.CreateLogger(typeof(ProviderKeysApi)), name, caller.TenantId);
            return TypedResults.Ok(info);
        }
        catch (VoxException ex) when (ex.Code == "secrets_key_missing")
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, ex.Message, ex.Code);
        }
    }

    /// <summary>The stored names.</summary>
    public static async Task<Ok<IReadOnlyList<TenantSecretInfo>>> ListAsync(ClaimsPrincipal user, ITenantSecrets secrets, CancellationToken cancellationToken) =>
        TypedResults.Ok(await secrets.ListAsync(user.GetCaller().TenantId, cancellationToken).ConfigureAwait(false));

    /// <summary>Removes a key.</summary>
    public static async Task<NoContent> DeleteAsync(ClaimsPrincipal user, ITenantSecrets secrets, ILoggerFactory loggers, string name, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        await secrets.DeleteAsync(caller.TenantId, name, cancellationToken).ConfigureAwait(false);
        LogDeleted(loggers.CreateLogger(typeof(ProviderKeysApi)), name, caller.TenantId);
        return TypedResults.NoContent();
    }

    [GeneratedRegex("^[a-z0-9_.-]{1,64}$")]
    private static partial Regex ValidName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider key {Name} stored for tenant {TenantId}")]
    private static partial void LogStored(ILogger logger, string name, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider key {Name} of tenant {TenantId} removed")]
    private static partial void LogDeleted(ILogger logger, string name, string tenantId);
}
