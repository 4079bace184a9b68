using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Vox.Gateway.Sip;
using Vox.Gateway.Sip.Messages;
using Vox.Gateway.Sip.UserAgent;
using Vox.Gateway.Tests.Support;

namespace Vox.Gateway.Tests.Sip;

/// <summary>The user agent on a real UDP/TCP port in a gateway host (no workers): OPTIONS, refusals, bad input, a taken port.</summary>
public sealed class SipUserAgentTests
{
    [Fact]
    public async Task Options_is_answered_200_with_allow_over_udp_and_tcp()
    {
        await using var host = await StartAsync(0);
        var endPoint = await Bound(host);
        foreach (var tcp in new[] { false, true })
        {
            var reply = await ExchangeAsync(endPoint, Request("OPTIONS", "sip:vox@127.0.0.1", tcp), tcp);
            Assert.Equal(200, reply.StatusCode);
            Assert.Contains("INVITE", reply.Headers[SipHeaderNames.Allow]);
            Assert.Equal("application/sdp", reply.Headers[SipHeaderNames.Accept]);
            Assert.NotNull(reply.To!.Tag);
        }
    }

    [Fact]
    public async Task Invite_for_an_unknown_number_gets_404_after_100()
    {
        await using var host = await StartAsync(0);
        var reply = await ExchangeAsync(await Bound(host), Request("INVITE", "sip:+14155550000@127.0.0.1", tcp: false), tcp: false, skipProvisional: true);
        Assert.Equal(404, reply.StatusCode);
    }

    [Fact]
    public async Task Malformed_request_on_the_wire_is_answered_400_and_the_listener_keeps_serving()
    {
        await using var host = await StartAsync(0);
        var endPoint = await Bound(host);
        var bad = Request("OPTIONS", "sip:vox@127.0.0.1", tcp: false).Replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE", StringComparison.Ordinal);
        Assert.Equal(400, (await ExchangeAsync(endPoint, bad, tcp: false)).StatusCode);
        Assert.Equal(200, (await ExchangeAsync(endPoint, Request("OPTIONS", "sip:vox@127.0.0.1", tcp: false), tcp: false)).StatusCode);
    }

    [Fact]
    public async Task Taken_port_is_a_warning_and_the_host_still_runs()
    {
        using var squatter = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)squatter.Client.LocalEndPoint!).Port;
        await using var host = await StartAsync(port);
        Assert.Null(await Bound(host));
        Assert.Contains(host.Logs.Lines, l => l.Contains("SIP cannot listen", StringComparison.Ordinal) && l.Contains(port.ToString(), StringComparison.Ordinal));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/bots")).StatusCode);
    }

    private static Task<GatewayTestHost> StartAsync(int port) => GatewayTestHost.StartAsync("sqlite", services => services.Configure<SipOptions>(o =>
    {
        o.Enabled = true;
        o.ListenAddress = "127.0.0.1";
        o.Port = port;
    }));

    private static Task<IPEndPoint?> Bound(GatewayTestHost host) => host.Services.GetRequiredService<SipUserAgent>().BoundAsync.WaitAsync(TimeSpan.FromSeconds(10));

    private static string Request(string method, string uri, bool tcp) =>
        $"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/{(tcp ? "TCP" : "UDP")} 127.0.0.1:5999;branch=z9hG4bK{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:test@127.0.0.1>;tag=t1\r\nTo: <{uri}>\r\nCall-ID: {Guid.NewGuid():N}@test\r\nCSeq: 1 {method}\r\nContact: <sip:test@127.0.0.1:5999>\r\n" +
        "Content-Length: 0\r\n\r\n";

    private static async Task<SipResponse> ExchangeAsync(IPEndPoint? server, string request, bool tcp, bool skipProvisional = false)
    {
        Assert.NotNull(server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bytes = Encoding.UTF8.GetBytes(request);
        if (tcp)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(server, timeout.Token);
            await client.GetStream().WriteAsync(bytes, timeout.Token);
            var buffer = new byte[8192];
            var filled = 0;
            while (true)
            {
                filled += await client.GetStream().ReadAsync(buffer.AsMemory(filled), timeout.Token);
                var length = SipParser.FrameLength(buffer.AsSpan(0, filled));
                if (length > 0)
                {
                    return (SipResponse)SipParser.Parse(buffer.AsSpan(0, length), datagram: false).Message!;
                }
            }
        }

        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendAsync(bytes, server, timeout.Token);
        while (true)
        {
            var received = await udp.ReceiveAsync(timeout.Token);
            var response = (SipResponse)SipParser.Parse(received.Buffer).Message!;
            if (!(skipProvisional && response.IsProvisional))
            {
                return response;
            }
        }
    }
}
