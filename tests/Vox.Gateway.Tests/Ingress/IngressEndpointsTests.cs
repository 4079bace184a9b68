using System.Net;
using System.Text.Json;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Bots;
using Microsoft.Extensions.DependencyInjection;
using Vox.Testing;

namespace Vox.Gateway.Tests.Ingress;

/// <summary>The ingress-secret API and the carrier helper endpoints on the gateway (the WebSocket calls are in the integration tests).</summary>
public sealed class IngressEndpointsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Rotating_the_secret_returns_it_once_with_urls_and_the_old_secret_stops_working(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var botId = await host.CreateBotAsync(tenant.Id);

        var first = await (await tenant.Client.PostAsync($"/v1/bots/{botId}/ingress-secret", null)).ReadJsonAsync(HttpStatusCode.OK);
        var secret = first.GetProperty("secret").GetString()!;
        var urls = first.GetProperty("urls");
        Assert.Equal(secret, await host.Services.GetRequiredService<IIngressSecretStore>().GetAsync(botId, CancellationToken.None));
        Assert.StartsWith($"ws://localhost/twilio/{botId}/", urls.GetProperty("twilio").GetString(), StringComparison.Ordinal);
        Assert.StartsWith($"ws://{botId}:{secret}@localhost/exotel/{botId}?sample-rate=8000", urls.GetProperty("exotelBasicAuth").GetString(), StringComparison.Ordinal);
        Assert.All(host.Logs.Lines, line => Assert.DoesNotContain(secret, line, StringComparison.Ordinal));

        var twiml = urls.GetProperty("twilioTwiml").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetAsync(twiml)).StatusCode);
        var second = await (await tenant.Client.PostAsync($"/v1/bots/{botId}/ingress-secret", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(secret, second.GetProperty("secret").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync(twiml)).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_bot_is_not_found()
    {
        await using var host = await GatewayTestHost.StartAsync("sqlite");
        var owner = await host.CreateTenantAsync("Owner");
        var other = await host.CreateTenantAsync("Other");
        var botId = await host.CreateBotAsync(owner.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PostAsync($"/v1/bots/{botId}/ingress-secret", null)).StatusCode);
        Assert.Null(await host.Services.GetRequiredService<IIngressSecretStore>().GetAsync(botId, CancellationToken.None));
    }

    [Fact]
    public async Task Helpers_hand_out_twiml_ncco_and_the_exotel_url_with_a_fresh_token()
    {
        await using var host = await GatewayTestHost.StartAsync("sqlite");
        var tenant = await host.CreateTenantAsync("Acme");
        var botId = await host.CreateBotAsync(tenant.Id);
        var urls = (await (await tenant.Client.PostAsync($"/v1/bots/{botId}/ingress-secret", null)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("urls");
        var anonymous = host.CreateClient();

        var twiml = await anonymous.PostAsync(urls.GetProperty("twilioTwiml").GetString(), null);
        Assert.Equal("text/xml", twiml.Content.Headers.ContentType?.MediaType);
        Assert.Matches($"""^<\?xml version="1.0" encoding="UTF-8"\?><Response><Connect><Stream url="ws://localhost/twilio/{botId}/[0-9]+\.[A-Za-z0-9_-]+" /></Connect></Response>$""",
            await twiml.Content.ReadAsStringAsync());

        var ncco = JsonDocument.Parse(await anonymous.GetStringAsync(urls.GetProperty("vonageAnswer").GetString() + "&rate=8000")).RootElement;
        var endpoint = ncco[0].GetProperty("endpoint")[0];
        Assert.Equal(("connect", "websocket", "audio/l16;rate=8000"),
            (ncco[0].GetProperty("action").GetString(), endpoint.GetProperty("type").GetString(), endpoint.GetProperty("content-type").GetString()));
        Assert.StartsWith($"ws://localhost/vonage/{botId}?token=", endpoint.GetProperty("uri").GetString(), StringComparison.Ordinal);

        var applet = JsonDocument.Parse(await anonymous.GetStringAsync(urls.GetProperty("exotelApplet").GetString() + "&sample-rate=16000")).RootElement;
        Assert.StartsWith($"ws://localhost/exotel/{botId}?sample-rate=16000&token=", applet.GetProperty("url").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync(urls.GetProperty("exotelApplet").GetString() + "&sample-rate=11025")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/vonage/{botId}/answer")).StatusCode);
    }

    [Fact]
    public async Task Widget_script_and_demo_page_are_served_and_a_plain_get_on_a_stream_route_is_400()
    {
        await using var host = await GatewayTestHost.StartAsync("sqlite");
        var client = host.CreateClient();
        var script = await client.GetAsync("/widget/vox-widget.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("registerProcessor('vox-capture'", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var page = await client.GetStringAsync("/widget/bot_%3Cx%3E/demo");
        Assert.Contains("data-bot=\"bot_&lt;x&gt;\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/twilio/bot_x")).StatusCode);
    }
}
