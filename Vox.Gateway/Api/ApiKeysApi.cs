using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Contracts;
using Vox.Gateway.Api.Http;
using Vox.Grains;
using Vox.Grains.Tenants;

namespace Vox.Gateway.Api;

/// <summary><c>/v1/api-keys</c>: the caller's own tenant's keys. The secret is shown once, at creation; lists show prefixes.</summary>
internal static partial class ApiKeysApi
{
    /// <summary>Maps the API-key endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder v1)
    {
        var keys = v1.MapGroup("/api-keys").WithTags("API keys");
        keys.MapPost("", CreateApiKeyAsync).WithName("CreateApiKey").WithSummary("Create a key for your tenant; the secret is in this response only")
            .AcceptsJson<CreateApiKeyRequest>().ProducesValidationProblem()
            .WithMetadata(SecretResponseMetadata.Instance);
        keys.MapGet("", ListApiKeysAsync).WithName("ListApiKeys").WithSummary("List your tenant's keys (prefixes only)");
        keys.MapGet("/{id}", GetApiKeyAsync).WithName("GetApiKey").WithSummary("Get one of your tenant's keys (prefix only)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        keys.MapDelete("/{id}", RevokeApiKeyAsync).WithName("RevokeApiKey").WithSummary("Revoke one of your tenant's keys")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>Creates a (non-admin) key for the caller's tenant.</summary>
    public static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> CreateApiKeyAsync(
        HttpRequest request, ClaimsPrincipal user, ITenantDirectory directory, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<CreateApiKeyRequest>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = new ValidationErrors();
        errors.Name("name", body.Value.Name);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var created = await directory.CreateApiKeyAsync(caller.TenantId, body.Value.Name.Trim(), isAdmin: false, cancellationToken).ConfigureAwait(false);
        LogCreated(loggers.CreateLogger(typeof(ApiKeysApi)), created.Info.Id, caller.TenantId, caller.KeyId);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/api-keys/{created.Info.Id}", CreatedApiKeyResponse.From(created));
    }

    /// <summary>The caller's tenant's keys, revoked ones included.</summary>
    public static async Task<Ok<Page<ApiKeyResponse>>> ListApiKeysAsync(ClaimsPrincipal user, ITenantDirectory directory, CancellationToken cancellationToken)
    {
        var keys = await directory.ListApiKeysAsync(user.GetCaller().TenantId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Page<ApiKeyResponse>(keys.Select(ApiKeyResponse.From).ToList(), null));
    }

    /// <summary>One of the caller's tenant's keys.</summary>
    public static async Task<Ok<ApiKeyResponse>> GetApiKeyAsync(ClaimsPrincipal user, ITenantDirectory directory, string id, CancellationToken cancellationToken)
    {
        var keys = await directory.ListApiKeysAsync(user.GetCaller().TenantId, cancellationToken).ConfigureAwait(false);
        var key = keys.FirstOrDefault(k => k.Id == id) ?? throw new NotFoundException("api key", id);
        return TypedResults.Ok(ApiKeyResponse.From(key));
    }

    /// <summary>Revokes one of the caller's tenant's keys (another tenant's is 404); the key stops working at once.</summary>
    public static async Task<NoContent> RevokeApiKeyAsync(ClaimsPrincipal user, ITenantDirectory directory, ILoggerFactory loggers, string id, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        await directory.RevokeApiKeyAsync(caller.TenantId, id, cancellationToken).ConfigureAwait(false);
        LogRevoked(loggers.CreateLogger(typeof(ApiKeysApi)), id, caller.TenantId, caller.KeyId);
        return TypedResults.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {NewKeyId} created for tenant {TenantId} by key {KeyId}")]
    private static partial void LogCreated(ILogger logger, string newKeyId, string tenantId, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {RevokedKeyId} of tenant {TenantId} revoked by key {KeyId}")]
    private static partial void LogRevoked(ILogger logger, string revokedKeyId, string tenantId, string keyId);
}
