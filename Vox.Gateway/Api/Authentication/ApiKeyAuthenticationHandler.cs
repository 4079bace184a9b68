using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Vox.Gateway.Api.Http;
using Vox.Grains.Tenants;

namespace Vox.Gateway.Api.Authentication;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (or <c>X-Api-Key</c>) against the tenant directory, which keeps
/// only hashes. Failures answer 401 ProblemDetails with a <c>WWW-Authenticate</c> challenge; the key is never logged.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ITenantDirectory directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string Realm = "vox";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = PresentedKey(Request);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        var principal = await directory.AuthenticateAsync(key, Context.RequestAborted).ConfigureAwait(false);
        if (principal is null)
        {
            LogRejected(Logger, Request.Method, Request.Path.ToString());
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        Claim[] claims =
        [
            new(ApiKeyDefaults.TenantIdClaim, principal.TenantId),
            new(ApiKeyDefaults.KeyIdClaim, principal.KeyId),
            new(ApiKeyDefaults.AdminClaim, principal.IsAdmin ? "true" : "false"),
        ];
        var identity = new ClaimsIdentity(claims, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = PresentedKey(Request) is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = presented
            ? $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"The API key is unknown or revoked\""
            : $"Bearer realm=\"{Realm}\"";
        return ApiProblems.WriteAsync(Context, new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = "Unauthorized",
            Detail = presented
                ? "The API key is unknown or revoked."
                : $"Send an API key as 'Authorization: Bearer <key>' or '{ApiKeyDefaults.ApiKeyHeader}: <key>'.",
            Extensions = { ["code"] = presented ? "invalid_api_key" : "missing_api_key" },
        });
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return ApiProblems.WriteAsync(Context, new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Forbidden",
            Detail = "This endpoint needs an admin API key.",
            Extensions = { ["code"] = "admin_required" },
        });
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        var header = request.Headers[ApiKeyDefaults.ApiKeyHeader].ToString().Trim();
        return header.Length > 0 ? header : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected an unknown or revoked API key on {Method} {Path}")]
    private static partial void LogRejected(ILogger logger, string method, string path);
}
