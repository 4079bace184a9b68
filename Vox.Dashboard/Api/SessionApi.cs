using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Dashboard.Authentication;

namespace Vox.Dashboard.Api;

/// <summary><c>/dashboard/api/session</c>, <c>login</c> and <c>logout</c>: the cookie session and its antiforgery token.</summary>
internal static partial class SessionApi
{
    /// <summary>Maps the session endpoints (anonymous) under <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapSessionApi(this RouteGroupBuilder api)
    {
        api.MapGet("/session", GetSession).AllowAnonymous();
        api.MapPost("/login", LoginAsync).AllowAnonymous().AddEndpointFilter<AntiforgeryFilter>();
        api.MapPost("/logout", (Delegate)LogoutAsync).AllowAnonymous().AddEndpointFilter<AntiforgeryFilter>();
        return api;
    }

    /// <summary>Who is signed in (if anyone) and a fresh antiforgery token for the next state-changing request.</summary>
    public static Ok<SessionResponse> GetSession(HttpContext context, IAntiforgery antiforgery, IOptions<DashboardOptions> options)
    {
        var user = DashboardUser.From(context.User);
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new SessionResponse(user is not null, user?.TenantId, user?.KeyId, user?.IsAdmin ?? false, tokens.RequestToken!,
            options.Value.WidgetUrl));
    }

    /// <summary>Signs in with an API key or configured credentials; 401 on anything else.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> LoginAsync(
        HttpContext context, LoginRequest request, DashboardSignIn signIn, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        DashboardUser? user = null;
        if (!string.IsNullOrWhiteSpace(request.ApiKey))
        {
            user = await signIn.WithApiKeyAsync(request.ApiKey, cancellationToken).ConfigureAwait(false);
        }
        else if (!string.IsNullOrEmpty(request.Username) && !string.IsNullOrEmpty(request.Password))
        {
            user = signIn.WithPassword(request.Username, request.Password);
        }

        var logger = loggers.CreateLogger(typeof(SessionApi).FullName!);
        if (user is null)
        {
            LogRejected(logger, context.Connection.RemoteIpAddress?.ToString());
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                detail: "The API key is unknown or revoked, or the user name and password do not match.");
        }

        var properties = new AuthenticationProperties { IsPersistent = false };
        DashboardSignIn.Stamp(properties.Items);
        await context.SignInAsync(DashboardAuth.Scheme, user.ToPrincipal(), properties).ConfigureAwait(false);
        LogSignedIn(logger, user.KeyId, user.TenantId, user.IsAdmin);
        return TypedResults.NoContent();
    }

    /// <summary>Ends the session.</summary>
    public static async Task<NoContent> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(DashboardAuth.Scheme).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard sign-in by {KeyId} of tenant {TenantId} (admin: {IsAdmin})")]
    private static partial void LogSignedIn(ILogger logger, string keyId, string tenantId, bool isAdmin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard sign-in refused from {RemoteAddress}")]
    private static partial void LogRejected(ILogger logger, string? remoteAddress);

    /// <summary>The signed-in user as the browser sees it.</summary>
    public sealed record SessionResponse(bool Authenticated, string? TenantId, string? KeyId, bool IsAdmin, string Csrf, string WidgetUrl);

    /// <summary>Either <see cref="ApiKey"/> or <see cref="Username"/> and <see cref="Password"/>.</summary>
    public sealed record LoginRequest(string? ApiKey, string? Username, string? Password);
}
