using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Gateway.Api.Authentication;
using Vox.Grains;
using Vox.Grains.Bots;

namespace Vox.Gateway.Ingress;

/// <summary><c>POST /v1/bots/{id}/ingress-secret</c>: creates or rotates a bot's ingress secret and shows it once.</summary>
internal static partial class IngressSecretApi
{
    /// <summary>Generates a new secret for one of the caller's bots (the old one stops working) and returns it with carrier URLs.</summary>
    public static async Task<Ok<IngressSecretResponse>> RotateAsync(HttpContext context, ClaimsPrincipal user, string id, IGrainFactory grains,
        IIngressSecretStore secrets, IOptions<IngressOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        // Another tenant's bot is not found, as everywhere in /v1.
        await grains.GetGrain<IBotGrain>(id).GetAsync(caller.TenantId, cancellationToken).ConfigureAwait(false);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await secrets.SetAsync(id, secret, cancellationToken).ConfigureAwait(false);
        var expires = time.GetUtcNow().AddMinutes(options.Value.TokenLifetimeMinutes);
        var urls = IngressUrls.For(IngressUrls.BaseUrl(context.Request, options.Value), id, secret, IngressTokens.Sign(secret, id, expires));
        LogRotated(loggers.CreateLogger(typeof(IngressSecretApi)), id, caller.TenantId);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new IngressSecretResponse(id, secret, expires, urls));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingress secret of bot {BotId} rotated by tenant {TenantId}")]
    private static partial void LogRotated(ILogger logger, string botId, string tenantId);
}
