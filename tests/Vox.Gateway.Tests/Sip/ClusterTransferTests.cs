using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Gateway.Sip.Media;
using Vox.Gateway.Sip.UserAgent;
using Vox.Grains.Cluster;
using Vox.Grains.Internal;
using Vox.Testing;

namespace Vox.Gateway.Tests.Sip;

/// <summary>
/// <see cref="ClusterTransfer"/> against real HTTP servers standing in for other silos' internal transfer endpoint:
/// it asks every other active silo with the cluster token and reports what the one carrying the dialog answered.
/// </summary>
public sealed class ClusterTransferTests : IAsyncLifetime
{
    private const string Token = "cluster-secret";
    private readonly List<WebApplication> _silos = [];
    private readonly ConcurrentQueue<(string Silo, string Path, string? Token, string Body)> _asked = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_silo_carrying_the_dialog_accepts_and_the_others_say_unavailable()
    {
        var self = await SiloAsync("self", 202);
        var b = await SiloAsync("b", 409, "transfer_unavailable");
        var c = await SiloAsync("c", 202);
        var dead = await SiloAsync("dead", 202);
        var transfer = Create(self, [Info("self", self), Info("b", b), Info("c", c), Info("dead", dead, "dead")]);

        Assert.Equal(TransferOutcome.Accepted, await transfer.TransferAsync("call_1", "+14155550777", CancellationToken.None));

        // Neither this silo (it already looked) nor a dead one is asked; each other silo once, with the token and the target.
        Assert.Equal(["b", "c"], _asked.Select(a => a.Silo).Order());
        Assert.All(_asked, a =>
        {
            Assert.Equal(InternalApi.SipCall("call_1") + "/transfer", a.Path);
            Assert.Equal(Token, a.Token);
            Assert.Equal("+14155550777", JsonDocument.Parse(a.Body).RootElement.GetProperty("to").GetString());
        });
    }

    [Fact]
    public async Task A_refusal_by_the_far_end_is_reported_as_refused()
    {
        var b = await SiloAsync("b", 409, "transfer_unavailable");
        var c = await SiloAsync("c", 409, "transfer_refused");
        Assert.Equal(TransferOutcome.Refused, await Create(null, [Info("b", b), Info("c", c)]).TransferAsync("call_2", "sip:desk@pbx.example.com", CancellationToken.None));
    }

    [Fact]
    public async Task No_silo_carrying_it_or_one_that_cannot_be_reached_is_not_here_without_an_error()
    {
        var b = await SiloAsync("b", 409, "transfer_unavailable");
        var unreachable = $"http://127.0.0.1:{FreePort.Next()}";
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var transfer = Create(null, [Info("b", b), Info("gone", unreachable)], loggers.CreateLogger<ClusterTransfer>());

        Assert.Equal(TransferOutcome.NotHere, await transfer.TransferAsync("call_3", "+14155550777", CancellationToken.None));
        Assert.Contains(logs.Lines, l => l.Contains("could not ask silo gone", StringComparison.Ordinal));
        Assert.Equal(TransferOutcome.NotHere, await Create(null, []).TransferAsync("call_3", "+14155550777", CancellationToken.None));
    }

    private static SiloInfo Info(string id, string url, string status = "active") =>
        new(id, "host", url, "test", status, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(10));

    private static ClusterTransfer Create(string? self, IReadOnlyList<SiloInfo> silos, ILogger<ClusterTransfer>? logger = null)
    {
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        return new ClusterTransfer(new FixedMembership(silos), services.GetRequiredService<IHttpClientFactory>(), new FixedToken(), logger ?? NullLogger<ClusterTransfer>.Instance,
            self is null ? null : new FixedAddress(self));
    }

    /// <summary>A silo's internal transfer endpoint that answers <paramref name="status"/> (with a problem <paramref name="code"/>) and records what it was asked.</summary>
    private async Task<string> SiloAsync(string name, int status, string? code = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/internal/v1/sip/calls/{id}/transfer", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _asked.Enqueue((name, context.Request.Path, context.Request.Headers[InternalApi.TokenHeader].ToString(), await reader.ReadToEndAsync()));
            context.Response.StatusCode = status;
            if (code is not null)
            {
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { status, code, detail = code }));
            }
        });
        await app.StartAsync();
        _silos.Add(app);
        return app.Urls.First();
    }

    private sealed class FixedMembership(IReadOnlyList<SiloInfo> silos) : IMembershipService
    {
        public Task<SiloInfo> RegisterAsync(SiloRegistration registration, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> HeartbeatAsync(string siloId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task LeaveAsync(string siloId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<SiloInfo>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(silos);
    }

    private sealed class FixedToken : IClusterTokenSource
    {
        public string Value => Token;
    }

    private sealed class FixedAddress(string url) : IGatewayAddress
    {
        public string Current => url;
    }
}
