using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains.Bots;
using Vox.Grains.Secrets;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Tools;

namespace Vox.MediaWorker.Tests.Providers.Tools;

/// <summary>Custom HTTP tools against a local server: arguments checked, timeouts, size caps and missing secrets give the model clear errors.</summary>
public sealed class ToolRuntimeTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private string _url = "";
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapGet("/slow", async (CancellationToken ct) =>
        {
            await Task.Delay(2000, ct);
            return Results.Json(new { ok = true });
        });
        _server.MapGet("/big", () => Results.Text(new string('x', 10_000)));
        _server.MapGet("/weather", (string city) => Results.Json(new { city, forecast = "sunny" }));
        _server.MapGet("/fail", () => Results.Problem("database down", statusCode: 503));
        await _server.StartAsync();
        _url = _server.Urls.First();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private ToolRuntime Runtime(params ToolDefinition[] tools)
    {
        var bot = new BotRuntimeConfig("bot_t", "ten_t", 1, new BotDefinition { Name = "T", Tools = tools }, DateTimeOffset.UnixEpoch);
        return new ToolRuntime(new CallContext("call_t", bot, 16000, TimeProvider.System), null, new TenantSecretSet(new Dictionary<string, string>()), _http, null, NullLogger<ToolRuntime>.Instance);
    }

    private ToolDefinition Http(string path, int timeoutMs = 2000, int maxBytes = 65_536, string? schema = null, Dictionary<string, string>? headers = null) => new()
    {
        Name = "tool", Type = "http", Url = _url + path, Method = "GET", TimeoutMs = timeoutMs, MaxResponseBytes = maxBytes,
        Parameters = schema is null ? null : JsonDocument.Parse(schema).RootElement.Clone(),
        Headers = headers ?? new Dictionary<string, string>(),
    };

    private static string Error(ToolOutcome outcome)
    {
        Assert.False(outcome.Ok);
        return JsonDocument.Parse(outcome.Content).RootElement.GetProperty("error").GetString()!;
    }

    [Fact]
    public async Task A_tool_url_the_egress_policy_refuses_gives_the_model_the_reason_and_the_server_is_not_reached()
    {
        using var guarded = new HttpClient(new Vox.Grains.Net.EgressPolicy(new Vox.Grains.Net.EgressOptions { BlockPrivateNetworks = true }).CreateHandler());
        var bot = new BotRuntimeConfig("bot_t", "ten_t", 1, new BotDefinition { Name = "T", Tools = [Http("/weather")] }, DateTimeOffset.UnixEpoch);
        var runtime = new ToolRuntime(new CallContext("call_t", bot, 16000, TimeProvider.System), null, new TenantSecretSet(new Dictionary<string, string>()), guarded, null, NullLogger<ToolRuntime>.Instance);

        var outcome = await runtime.RunAsync(1, new ToolCallRequest("c1", "tool", """{"city":"Paris"}"""), CancellationToken.None);

        Assert.Contains("Egress:BlockPrivateNetworks", Error(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_tool_sends_arguments_as_query_and_returns_the_json()
    {
        var runtime = Runtime(Http("/weather", schema: """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var outcome = await runtime.RunAsync(1, new ToolCallRequest("c1", "tool", """{"city":"Lisbon"}"""), CancellationToken.None);
        Assert.True(outcome.Ok, outcome.Content);
        Assert.Equal("Lisbon", JsonDocument.Parse(outcome.Content).RootElement.GetProperty("city").GetString());
        Assert.Contains(runtime.Events, e => e is { Tool: "tool", Ok: true });
    }

    [Theory]
    [InlineData("""{"city":5}""", "$.city: expected string, got integer")]
    [InlineData("""{}""", "$.city: required")]
    [InlineData("""{"city":"Rome","extra":1}""", "$.extra: not allowed")]
    [InlineData("""{"city":""", "not valid JSON")]
    public async Task Bad_arguments_are_refused_with_the_schema_violation(string arguments, string expected)
    {
        var runtime = Runtime(Http("/weather", schema: """{"type":"object","properties":{"city":{"type":"string","minLength":1}},"required":["city"],"additionalProperties":false}"""));
        var outcome = await runtime.RunAsync(1, new ToolCallRequest("c1", "tool", arguments), CancellationToken.None);
        Assert.Contains(expected, Error(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_tool_times_out()
    {
        var outcome = await Runtime(Http("/slow", timeoutMs: 200)).RunAsync(1, new ToolCallRequest("c1", "tool", "{}"), CancellationToken.None);
        Assert.Contains("timed out after 200 ms", Error(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_response_is_refused()
    {
        var outcome = await Runtime(Http("/big", maxBytes: 1000)).RunAsync(1, new ToolCallRequest("c1", "tool", "{}"), CancellationToken.None);
        Assert.Contains("larger than 1000 bytes", Error(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_error_goes_to_the_model_with_its_status()
    {
        var outcome = await Runtime(Http("/fail")).RunAsync(1, new ToolCallRequest("c1", "tool", "{}"), CancellationToken.None);
        Assert.Equal("HTTP 503", Error(outcome));
    }

    [Fact]
    public async Task Missing_secret_is_named_and_unknown_tool_is_an_error()
    {
        var runtime = Runtime(Http("/weather", headers: new Dictionary<string, string> { ["X-Key"] = "{{secret:absent}}" }));
        Assert.Contains("secret 'absent' is not set", Error(await runtime.RunAsync(1, new ToolCallRequest("c1", "tool", """{"city":"x"}"""), CancellationToken.None)), StringComparison.Ordinal);
        Assert.Contains("unknown tool", Error(await runtime.RunAsync(1, new ToolCallRequest("c2", "nope", "{}"), CancellationToken.None)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfer_without_a_transport_that_can_transfer_is_an_error_for_the_model()
    {
        var runtime = Runtime(new ToolDefinition { Name = "transfer_call", Type = "transfer_call", Destination = "+15550100" });
        Assert.Contains("cannot transfer", Error(await runtime.RunAsync(1, new ToolCallRequest("c1", "transfer_call", "{}"), CancellationToken.None)), StringComparison.Ordinal);
    }
}
