using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Vox.Grains;
using Vox.Grains.Bots;

namespace Vox.Gateway.Ingress;

/// <summary>
/// Decides whether a request may open a call to a bot, before anything is reserved: the bot must exist, the source
/// address must be in the bot's allow-list (when it has one), and the request must prove the bot's ingress secret, as a
/// Basic auth password (how Exotel sends <c>wss://KEY:SECRET@host/...</c>) or a signed token (<c>?token=</c> or a last
/// path segment, for carriers and browsers that cannot send headers). Secrets are never logged.
/// </summary>
public sealed partial class IngressAuthenticator(IGrainFactory grains, IIngressSecretStore secrets, TimeProvider time, ILogger<IngressAuthenticator> logger)
{
    /// <summary>Authenticates <paramref name="context"/> for a call to <paramref name="botId"/>.</summary>
    public async Task<IngressAuthentication> AuthenticateAsync(HttpContext context, string botId, CancellationToken cancellationToken)
    {
        var remote = context.Connection.RemoteIpAddress;
        BotRuntimeConfig bot;
        try
        {
            bot = await grains.GetGrain<IBotGrain>(botId).GetRuntimeConfigAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            // Same answer as a wrong secret: the ingress does not reveal which bot ids exist.
            return Refuse(botId, remote, StatusCodes.Status401Unauthorized, "unknown bot or wrong ingress credentials", "unknown bot");
        }

        if (bot.Definition.IngressAllowedIps.Count > 0 && !IsAllowed(remote, bot.Definition.IngressAllowedIps))
        {
            return Refuse(botId, remote, StatusCodes.Status403Forbidden, "source address not in the bot's ingress allow-list", "address not allowed");
        }

        var secret = await secrets.GetAsync(botId, cancellationToken).ConfigureAwait(false);
        if (secret is null)
        {
            return Refuse(botId, remote, StatusCodes.Status401Unauthorized, "unknown bot or wrong ingress credentials", "the bot has no ingress secret yet");
        }

        if (BasicPassword(context.Request) is { } password)
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(secret))
                ? new IngressAuthentication(bot, StatusCodes.Status200OK, "basic")
                : Refuse(botId, remote, StatusCodes.Status401Unauthorized, "unknown bot or wrong ingress credentials", "wrong Basic password");
        }

        var token = context.Request.Query["token"].ToString() is { Length: > 0 } query ? query : context.GetRouteValue("token") as string;
        if (string.IsNullOrEmpty(token))
        {
            return Refuse(botId, remote, StatusCodes.Status401Unauthorized, "ingress credentials required (Basic auth or a signed token)", "no credentials");
        }

        return IngressTokens.Verify(secret, botId, token, time.GetUtcNow())
            ? new IngressAuthentication(bot, StatusCodes.Status200OK, "token")
            : Refuse(botId, remote, StatusCodes.Status401Unauthorized, "unknown bot or wrong ingress credentials", "bad or expired token");
    }

    /// <summary>True when <paramref name="address"/> is one of <paramref name="allowed"/> (IPs or CIDR ranges; entries that do not parse match nothing).</summary>
    public static bool IsAllowed(IPAddress? address, IReadOnlyList<string> allowed)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var entry in allowed)
        {
            if (IPNetwork.TryParse(entry, out var network) ? network.Contains(address) : IPAddress.TryParse(entry, out var single) && single.Equals(address))
            {
                return true;
            }
        }

        return false;
    }

    private static string? BasicPassword(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? "" : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private IngressAuthentication Refuse(string botId, IPAddress? remote, int status, string reason, string why)
    {
        LogRefused(logger, botId, remote?.ToString() ?? "unknown", why);
        return new IngressAuthentication(null, status, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingress to bot {BotId} from {RemoteAddress} refused: {Why}")]
    private static partial void LogRefused(ILogger logger, string botId, string remoteAddress, string why);
}
