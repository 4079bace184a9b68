using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Contracts;
using Vox.Gateway.Api.Http;
using Vox.Grains;
using Vox.Grains.Tenants;

namespace Vox.Gateway.Api;

/// <summary><c>/v1/tenants</c>: tenant administration, for admin keys only (403 otherwise).</summary>
internal static partial class TenantsApi
{
    /// <summary>Largest concurrency cap accepted.</summary>
    public const int MaxConcurrentCallsLimit = 100_000;

    /// <summary>Maps the tenant endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder v1)
    {
        var tenants = v1.MapGroup("/tenants").WithTags("Tenants").RequireAuthorization(ApiKeyDefaults.AdminPolicy)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        tenants.MapPost("", CreateTenantAsync).WithName("CreateTenant").WithSummary("Create a tenant")
            .AcceptsJson<CreateTenantRequest>().ProducesValidationProblem();
        tenants.MapGet("", ListTenantsAsync).WithName("ListTenants").WithSummary("List all tenants");
        tenants.MapGet("/{id}", GetTenantAsync).WithName("GetTenant").WithSummary("Get a tenant").ProducesProblem(StatusCodes.Status404NotFound);
        tenants.MapPatch("/{id}", UpdateTenantAsync).WithName("UpdateTenant").WithSummary("Set a tenant's concurrency cap (null removes it)")
            .AcceptsJson<UpdateTenantRequest>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        tenants.MapPost("/{id}/api-keys", CreateTenantApiKeyAsync).WithName("CreateTenantApiKey")
            .WithSummary("Create an API key for a tenant; the secret is in this response only")
            .AcceptsJson<CreateTenantApiKeyRequest>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(SecretResponseMetadata.Instance);
        return v1;
    }

    /// <summary>Creates a tenant.</summary>
    public static async Task<Results<Created<TenantResponse>, ProblemHttpResult>> CreateTenantAsync(
        HttpRequest request, ClaimsPrincipal user, ITenantDirectory directory, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateTenantRequest>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = new ValidationErrors();
        errors.Name("name", body.Value.Name);
        ValidateCap(errors, body.Value.MaxConcurrentCalls);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var tenant = await directory.CreateTenantAsync(body.Value.Name.Trim(), body.Value.MaxConcurrentCalls, cancellationToken).ConfigureAwait(false);
        LogCreated(loggers.CreateLogger(typeof(TenantsApi)), tenant.Id, user.GetCaller().KeyId);
        return TypedResults.Created($"/v1/tenants/{tenant.Id}", TenantResponse.From(tenant));
    }

    /// <summary>Every tenant.</summary>
    public static async Task<Ok<Page<TenantResponse>>> ListTenantsAsync(ITenantDirectory directory, CancellationToken cancellationToken)
    {
        var tenants = await directory.ListTenantsAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Page<TenantResponse>(tenants.Select(TenantResponse.From).ToList(), null));
    }

    /// <summary>One tenant.</summary>
    public static async Task<Ok<TenantResponse>> GetTenantAsync(ITenantDirectory directory, string id, CancellationToken cancellationToken) =>
        TypedResults.Ok(TenantResponse.From(await directory.GetTenantAsync(id, cancellationToken).ConfigureAwait(false)));

    /// <summary>Sets or removes the tenant's concurrency cap.</summary>
    public static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> UpdateTenantAsync(
        HttpRequest request, ClaimsPrincipal user, ITenantDirectory directory, ILoggerFactory loggers, string id, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<UpdateTenantRequest>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = new ValidationErrors();
        ValidateCap(errors, body.Value.MaxConcurrentCalls);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var tenant = await directory.SetConcurrencyCapAsync(id, body.Value.MaxConcurrentCalls, cancellationToken).ConfigureAwait(false);
        LogCapChanged(loggers.CreateLogger(typeof(TenantsApi)), tenant.Id, tenant.MaxConcurrentCalls, user.GetCaller().KeyId);
        return TypedResults.Ok(TenantResponse.From(tenant));
    }

    /// <summary>Creates a key (admin or not) for any tenant.</summary>
    public static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> CreateTenantApiKeyAsync(
        HttpRequest request, ClaimsPrincipal user, ITenantDirectory directory, ILoggerFactory loggers, string id, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateTenantApiKeyRequest>(request, cancellationToken).ConfigureAwait(false);
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

        var created = await directory.CreateApiKeyAsync(id, body.Value.Name.Trim(), body.Value.IsAdmin, cancellationToken).ConfigureAwait(false);
        LogKeyCreated(loggers.CreateLogger(typeof(TenantsApi)), created.Info.Id, created.Info.TenantId, created.Info.IsAdmin, user.GetCaller().KeyId);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created((string?)null, CreatedApiKeyResponse.From(created));
    }

    private static void ValidateCap(ValidationErrors errors, int? cap)
    {
        if (cap is { } value)
        {
            errors.Range("maxConcurrentCalls", value, 0, MaxConcurrentCallsLimit);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId} created by key {KeyId}")]
    private static partial void LogCreated(ILogger logger, string tenantId, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId} concurrency cap set to {MaxConcurrentCalls} by key {KeyId}")]
    private static partial void LogCapChanged(ILogger logger, string tenantId, int? maxConcurrentCalls, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {NewKeyId} (admin: {IsAdmin}) created for tenant {TenantId} by key {KeyId}")]
    private static partial void LogKeyCreated(ILogger logger, string newKeyId, string tenantId, bool isAdmin, string keyId);
}
