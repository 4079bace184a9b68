using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Grains.Net;
using Vox.Grains.Webhooks;

namespace Vox.Grains.Tests.Net;

/// <summary>
/// Requests to tenant-configured URLs (webhooks, HTTP tools) never reach cloud metadata or other link-local addresses, and
/// with <c>Egress:BlockPrivateNetworks</c> no loopback or private address either, by literal address or by a host name.
/// </summary>
public sealed class EgressPolicyTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapGet("/", () => Results.Text("reached"));
        await _server.StartAsync();
        _port = new Uri(_server.Urls.First()).Port;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static EgressPolicy Blocking(params string[] allowed) => new(new EgressOptions { BlockPrivateNetworks = true, AllowedNetworks = [.. allowed] });

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    public void Link_local_unspecified_multicast_and_broadcast_are_always_refused(string address)
    {
        Assert.Contains("link-local", EgressPolicy.Default.Refusal(IPAddress.Parse(address)), StringComparison.Ordinal);
        Assert.NotNull(Blocking().Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.10")]
    [InlineData("100.64.0.1")]
    [InlineData("0.1.2.3")]
    [InlineData("::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Private_and_loopback_are_allowed_by_default_and_refused_when_blocking(string address)
    {
        Assert.Null(EgressPolicy.Default.Refusal(IPAddress.Parse(address)));
        Assert.Contains("BlockPrivateNetworks", Blocking().Refusal(IPAddress.Parse(address)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:4860:4860::8888")]
    public void Public_addresses_are_allowed_even_when_blocking(string address) => Assert.Null(Blocking().Refusal(IPAddress.Parse(address)));

    [Fact]
    public void Allowed_networks_make_exceptions_and_a_bad_one_is_named()
    {
        var policy = Blocking("10.1.2.0/24", "169.254.170.2/32");
        Assert.Null(policy.Refusal(IPAddress.Parse("10.1.2.3")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("10.1.3.3")));
        Assert.Null(policy.Refusal(IPAddress.Parse("169.254.170.2")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("169.254.169.254")));

        var bad = Assert.Throws<ArgumentException>(() => Blocking("10.1.2.0/33"));
        Assert.Contains("10.1.2.0/33", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_handler_refuses_before_connecting_by_address_and_by_host_name_and_lets_the_rest_through()
    {
        using var open = new HttpClient(EgressPolicy.Default.CreateHandler());
        Assert.Equal("reached", await open.GetStringAsync($"http://127.0.0.1:{_port}/"));
        var metadata = await Assert.ThrowsAsync<HttpRequestException>(() => open.GetStringAsync("http://169.254.169.254/latest/meta-data/"));
        Assert.Contains("link-local", Assert.IsType<EgressRefusedException>(metadata.InnerException).Message, StringComparison.Ordinal);

        using var blocking = new HttpClient(Blocking().CreateHandler());
        var literal = await Assert.ThrowsAsync<HttpRequestException>(() => blocking.GetStringAsync($"http://127.0.0.1:{_port}/"));
        Assert.IsType<EgressRefusedException>(literal.InnerException);
        // A name that resolves to loopback is refused as its address would be (DNS is no way around the policy).
        var named = await Assert.ThrowsAsync<HttpRequestException>(() => blocking.GetStringAsync($"http://localhost:{_port}/"));
        Assert.Contains("localhost", Assert.IsType<EgressRefusedException>(named.InnerException).Message, StringComparison.Ordinal);
        var ipv6 = await Assert.ThrowsAsync<HttpRequestException>(() => blocking.GetStringAsync($"http://[::1]:{_port}/"));
        Assert.IsType<EgressRefusedException>(ipv6.InnerException);

        using var excepted = new HttpClient(Blocking("127.0.0.1/32", "::1/128").CreateHandler());
        Assert.Equal("reached", await excepted.GetStringAsync($"http://localhost:{_port}/"));
    }

    [Fact]
    public async Task The_webhook_client_passes_the_policy_and_a_bad_allowed_network_fails_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Egress:BlockPrivateNetworks"] = "true" }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddVoxWebhooks(configuration);
        await using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookDispatcher.HttpClientName);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync($"http://127.0.0.1:{_port}/"));
        Assert.IsType<EgressRefusedException>(refused.InnerException);

        var badConfiguration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Egress:AllowedNetworks:0"] = "intranet" }).Build();
        var badServices = new ServiceCollection().AddLogging();
        badServices.AddVoxWebhooks(badConfiguration);
        await using var badProvider = badServices.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => badProvider.GetRequiredService<IOptions<EgressOptions>>().Value);
        Assert.Contains("Egress:AllowedNetworks", error.Message, StringComparison.Ordinal);
    }
}
