using System.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Vox.Grains.Bots;

namespace Vox.Gateway.Ingress;

/// <summary>
/// What a carrier fetches before it opens the stream: Twilio's <c>&lt;Connect&gt;&lt;Stream&gt;</c> TwiML, Vonage's NCCO
/// answer URL, Exotel's applet URL endpoint. Each is authenticated like the stream itself and hands out a stream URL with
/// a freshly signed token.
/// </summary>
internal static class CarrierHelpers
{
    /// <summary>TwiML connecting the call to <c>/twilio/{botId}</c> (Twilio drops query strings, so the token is a path segment).</summary>
    public static Task<IResult> TwimlAsync(HttpContext context, string botId, IngressAuthenticator authenticator, IIngressSecretStore secrets,
        IOptions<IngressOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
        HandOutAsync(context, botId, authenticator, secrets, options, time, urls => Results.Content(
            $"""<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="{SecurityElement.Escape(urls.Twilio)}" /></Connect></Response>""",
            "text/xml"), cancellationToken);

    /// <summary>An NCCO connecting the call to <c>/vonage/{botId}</c> as <c>audio/l16</c> at <c>?rate=</c> 8000 or 16000 (default).</summary>
    public static Task<IResult> NccoAsync(HttpContext context, string botId, IngressAuthenticator authenticator, IIngressSecretStore secrets,
        IOptions<IngressOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var rate = context.Request.Query["rate"].ToString() is { Length: > 0 } r ? r : "16000";
        return !IsRate(rate, 8000, 16000)
            ? Task.FromResult(Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad rate", detail: "rate must be 8000 or 16000."))
            : HandOutAsync(context, botId, authenticator, secrets, options, time, urls => Results.Json(new object[]
            {
                new Dictionary<string, object>
                {
                    ["action"] = "connect",
                    ["endpoint"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["type"] = "websocket",
                            ["uri"] = urls.Vonage,
                            ["content-type"] = $"audio/l16;rate={rate}",
                            ["headers"] = new Dictionary<string, string> { ["botId"] = botId },
                        },
                    },
                },
            }), cancellationToken);
    }

    /// <summary>Exotel's applet URL endpoint: <c>{"url":"wss://…/exotel/{botId}?sample-rate=…&amp;token=…"}</c>.</summary>
    public static Task<IResult> ExotelAppletAsync(HttpContext context, string botId, IngressAuthenticator authenticator, IIngressSecretStore secrets,
        IOptions<IngressOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var rate = context.Request.Query["sample-rate"].ToString() is { Length: > 0 } r ? r : "8000";
        return !IsRate(rate, 8000, 16000, 24000)
            ? Task.FromResult(Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad sample-rate", detail: "sample-rate must be 8000, 16000 or 24000."))
            : HandOutAsync(context, botId, authenticator, secrets, options, time,
                urls => Results.Json(new { url = urls.Exotel.Replace("sample-rate=8000", "sample-rate=" + rate, StringComparison.Ordinal) }), cancellationToken);
    }

    private static async Task<IResult> HandOutAsync(HttpContext context, string botId, IngressAuthenticator authenticator, IIngressSecretStore secrets,
        IOptions<IngressOptions> options, TimeProvider time, Func<IngressUrls, IResult> answer, CancellationToken cancellationToken)
    {
        var auth = await authenticator.AuthenticateAsync(context, botId, cancellationToken).ConfigureAwait(false);
        if (!auth.Succeeded)
        {
            return Results.Problem(statusCode: auth.StatusCode, title: "Ingress refused", detail: auth.Reason);
        }

        // The secret may have been rotated since the authenticator read it; a null here means it was just removed.
        var secret = await secrets.GetAsync(botId, cancellationToken).ConfigureAwait(false) ?? "";
        var token = IngressTokens.Sign(secret, botId, time.GetUtcNow().AddMinutes(options.Value.TokenLifetimeMinutes));
        return answer(IngressUrls.For(IngressUrls.BaseUrl(context.Request, options.Value), botId, secret, token));
    }

    private static bool IsRate(string value, params int[] allowed) => int.TryParse(value, out var rate) && allowed.Contains(rate);
}
