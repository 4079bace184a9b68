using Microsoft.AspNetCore.Http;

namespace Vox.Gateway.Ingress;

/// <summary>The URLs a carrier or browser is given for one bot, each carrying a signed token (<see cref="ExotelBasicAuth"/> carries the secret as Basic auth, as Exotel sends it).</summary>
public sealed record IngressUrls(
    string Exotel,
    string ExotelBasicAuth,
    string Twilio,
    string Vonage,
    string ICallMate,
    string Widget,
    string WidgetDemo,
    string WidgetScript,
    string TwilioTwiml,
    string VonageAnswer,
    string ExotelApplet)
{
    /// <summary>Builds the URLs for <paramref name="botId"/> under <paramref name="baseUrl"/> (http or https).</summary>
    public static IngressUrls For(string baseUrl, string botId, string secret, string token)
    {
        var http = baseUrl.TrimEnd('/');
        var ws = http.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "wss://" + http[8..] : "ws://" + http[(http.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var bot = Uri.EscapeDataString(botId);
        var t = Uri.EscapeDataString(token);
        var exotelAuth = ws.Replace("://", $"://{bot}:{Uri.EscapeDataString(secret)}@", StringComparison.Ordinal);
        return new IngressUrls(
            Exotel: $"{ws}/exotel/{bot}?sample-rate=8000&token={t}",
            ExotelBasicAuth: $"{exotelAuth}/exotel/{bot}?sample-rate=8000",
            // Twilio drops query strings from <Stream url>, so its token rides as the last path segment.
            Twilio: $"{ws}/twilio/{bot}/{t}",
            Vonage: $"{ws}/vonage/{bot}?token={t}",
            ICallMate: $"{ws}/ws/{bot}?token={t}",
            Widget: $"{ws}/widget/{bot}?token={t}",
            WidgetDemo: $"{http}/widget/{bot}/demo?token={t}",
            WidgetScript: $"{http}/widget/vox-widget.js",
            TwilioTwiml: $"{http}/twilio/{bot}/twiml?token={t}",
            VonageAnswer: $"{http}/vonage/{bot}/answer?token={t}",
            ExotelApplet: $"{http}/exotel/{bot}/applet?token={t}");
    }

    /// <summary>The base URL to hand out: the configured public one, else the request's own scheme and host.</summary>
    public static string BaseUrl(HttpRequest request, IngressOptions options) =>
        string.IsNullOrEmpty(options.PublicBaseUrl) ? $"{request.Scheme}://{request.Host}{request.PathBase}" : options.PublicBaseUrl;
}
