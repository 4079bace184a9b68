using System.Net;
using System.Text.Json;
using Vox.Gateway.Tests.Support;

namespace Vox.Gateway.Tests;

public sealed class GatewayHostingExtensionsTests
{
    [Fact]
    public async Task OpenApi_document_is_served_and_lists_the_v1_paths()
    {
        await using var host = await GatewayTestHost.StartAsync("sqlite");

        var response = await host.CreateClient().GetAsync("/openapi/v1.json");

        var document = await response.ReadJsonAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/bots", paths);
        Assert.Contains("/v1/bots/{id}", paths);
        Assert.Contains("/v1/calls", paths);
        Assert.Contains("/v1/phone-numbers", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/swagger", StringComparison.Ordinal));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Any());
        var post = document.GetProperty("paths").GetProperty("/v1/bots").GetProperty("post");
        Assert.Equal(JsonValueKind.Object, post.GetProperty("requestBody").ValueKind);
    }

    [Fact]
    public async Task Swagger_ui_serves_html_pointing_at_the_document()
    {
        await using var host = await GatewayTestHost.StartAsync("sqlite");
        var client = host.CreateClient();

        var index = await client.GetAsync("/swagger/index.html");
        var html = await index.Content.ReadAsStringAsync();
        var root = await client.GetAsync("/swagger");
        var config = await client.GetStringAsync("/swagger/index.js");

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", html, StringComparison.Ordinal);
        Assert.True(root.StatusCode is HttpStatusCode.OK or HttpStatusCode.MovedPermanently or HttpStatusCode.Redirect, $"/swagger answered {(int)root.StatusCode}");
        Assert.Contains("openapi/v1.json", config, StringComparison.Ordinal);
    }
}
