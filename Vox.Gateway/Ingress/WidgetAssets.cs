using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Vox.Gateway.Ingress;

/// <summary>The browser widget: its embeddable script and the demo page, served from resources embedded in this assembly.</summary>
internal static class WidgetAssets
{
    private static readonly Lazy<string> Script = new(() => Read("widget/vox-widget.js"));
    private static readonly Lazy<string> DemoPage = new(() => Read("widget/demo.html"));

    /// <summary><c>/widget/vox-widget.js</c>: defines <c>VoxWidget.mount(element, {url})</c>.</summary>
    public static IResult ScriptAsync() => Results.Content(Script.Value, "text/javascript; charset=utf-8");

    /// <summary><c>/widget/{botId}/demo</c>: a page with the widget for the bot; the signed token comes from the page's own <c>?token=</c>.</summary>
    public static IResult DemoPageAsync(string botId) =>
        Results.Content(DemoPage.Value.Replace("{{BOT_ID}}", WebUtility.HtmlEncode(botId), StringComparison.Ordinal), "text/html; charset=utf-8");

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded widget resource '{name}' is missing from Vox.Gateway.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
