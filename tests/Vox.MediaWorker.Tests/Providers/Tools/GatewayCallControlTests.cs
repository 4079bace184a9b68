using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vox.Grains.Internal;
using Vox.MediaWorker.Tools;
using Vox.Testing;

namespace Vox.MediaWorker.Tests.Providers.Tools;

/// <summary>The worker's side of a SIP transfer: it asks the gateway at the call's control URL, with the cluster token.</summary>
public sealed class GatewayCallControlTests
{
    private const string Token = "cluster-token-for-tests";

    private static async Task<(WebApplication App, ConcurrentQueue<(string Path, string? Token, string Body)> Seen)> GatewayAsync(int status, string? problem = null)
    {
        var seen = new ConcurrentQueue<(string, string?, string)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/internal/v1/sip/calls/{id}/transfer", async (HttpRequest request) =>
        {
            seen.Enqueue((request.Path, request.Headers[InternalApi.TokenHeader].ToString(), await new StreamReader(request.Body).ReadToEndAsync()));
            return problem is null ? Results.StatusCode(status) : Results.Text(problem, "application/problem+json", statusCode: status);
        });
        await app.StartAsync();
        return (app, seen);
    }

    [Fact]
    public async Task A_transfer_posts_the_target_with_the_cluster_token_to_the_calls_control_url()
    {
        var (app, seen) = await GatewayAsync(202);
        await using var _ = app;
        using var http = new HttpClient();
        var control = new GatewayCallControl(http, app.Urls.First() + InternalApi.SipCall("call_1"), Token);

        await control.TransferAsync("+14155550777", CancellationToken.None);

        var (path, token, body) = Assert.Single(seen);
        Assert.Equal("/internal/v1/sip/calls/call_1/transfer", path);
        Assert.Equal(Token, token);
        Assert.Equal("+14155550777", System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("to").GetString());
    }

    [Fact]
    public async Task A_refusal_throws_with_the_gateways_detail()
    {
        var (app, _) = await GatewayAsync(409, """{"status":409,"detail":"The far end refused the transfer.","code":"transfer_refused"}""");
        await using var __ = app;
        using var http = new HttpClient();
        var control = new GatewayCallControl(http, app.Urls.First() + InternalApi.SipCall("call_1"), Token);

        var error = await Assert.ThrowsAsync<CallControlException>(() => control.TransferAsync("+14155550777", CancellationToken.None).AsTask());
        Assert.Contains("409", error.Message, StringComparison.Ordinal);
        Assert.Contains("The far end refused the transfer.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_control_url_or_an_unreachable_gateway_throws_a_call_control_error()
    {
        using var http = new HttpClient();
        var none = await Assert.ThrowsAsync<CallControlException>(() => new GatewayCallControl(http, null, Token).TransferAsync("+14155550777", CancellationToken.None).AsTask());
        Assert.Contains("no control URL", none.Message, StringComparison.Ordinal);

        var closed = $"http://127.0.0.1:{FreePort.Next()}{InternalApi.SipCall("call_1")}";
        var unreachable = await Assert.ThrowsAsync<CallControlException>(() => new GatewayCallControl(http, closed, Token).TransferAsync("+14155550777", CancellationToken.None).AsTask());
        Assert.Contains("could not be reached", unreachable.Message, StringComparison.Ordinal);
    }
}
