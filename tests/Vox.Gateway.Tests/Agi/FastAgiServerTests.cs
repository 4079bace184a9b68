using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Vox.Gateway.Agi;
using Vox.Gateway.Sip;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Numbers;

namespace Vox.Gateway.Tests.Agi;

/// <summary>The FastAGI server against a socket client that speaks as Asterisk does (header block, replies, HANGUP).</summary>
public sealed class FastAgiServerTests
{
    [Fact]
    public async Task Known_number_sets_assistant_id_and_sip_uri()
    {
        await using var host = await StartAsync();
        var (botId, _) = await AddNumberAsync(host, "+14155550142");
        await using var agi = await AgiClient.ConnectAsync(host);
        await agi.SendHeaderAsync("route", "+14155550142");

        Assert.Equal($"SET VARIABLE VOX_ASSISTANT_ID \"{botId}\"", await agi.ReadLineAsync());
        await agi.WriteLineAsync("200 result=1");
        Assert.Equal("SET VARIABLE VOX_SIP_URI \"sip:+14155550142@vox.example.com:5080\"", await agi.ReadLineAsync());
        await agi.WriteLineAsync("200 result=1");
        Assert.Null(await agi.ReadLineAsync());
    }

    [Fact]
    public async Task Number_without_plus_from_the_dialplan_is_found()
    {
        await using var host = await StartAsync();
        var (botId, _) = await AddNumberAsync(host, "+442071838750");
        await using var agi = await AgiClient.ConnectAsync(host);
        await agi.SendHeaderAsync("/route?x=1", "442071838750");
        Assert.Equal($"SET VARIABLE VOX_ASSISTANT_ID \"{botId}\"", await agi.ReadLineAsync());
    }

    [Fact]
    public async Task Unknown_number_sets_nothing_and_closes()
    {
        await using var host = await StartAsync();
        await using var agi = await AgiClient.ConnectAsync(host);
        await agi.SendHeaderAsync("route", "+14155550999");
        Assert.Null(await agi.ReadLineAsync());
    }

    [Fact]
    public async Task Hangup_instead_of_a_reply_ends_the_session()
    {
        await using var host = await StartAsync();
        await AddNumberAsync(host, "+14155550143");
        await using var agi = await AgiClient.ConnectAsync(host);
        await agi.SendHeaderAsync("route", "+14155550143");
        Assert.StartsWith("SET VARIABLE VOX_ASSISTANT_ID", await agi.ReadLineAsync());
        await agi.WriteLineAsync("HANGUP");
        Assert.Null(await agi.ReadLineAsync());
    }

    [Fact]
    public async Task Hangup_during_the_header_block_ends_the_session()
    {
        await using var host = await StartAsync();
        await using var agi = await AgiClient.ConnectAsync(host);
        await agi.WriteLineAsync("agi_network: yes");
        await agi.WriteLineAsync("HANGUP");
        Assert.Null(await agi.ReadLineAsync());
    }

    private static Task<GatewayTestHost> StartAsync() => GatewayTestHost.StartAsync("sqlite", services =>
    {
        services.Configure<AgiOptions>(o =>
        {
            o.Enabled = true;
            o.Port = 0;
            o.ListenAddress = "127.0.0.1";
        });
        services.Configure<SipOptions>(o =>
        {
            o.AdvertisedHost = "vox.example.com";
            o.Port = 5080;
        });
    });

    private static async Task<(string BotId, string TenantId)> AddNumberAsync(GatewayTestHost host, string number)
    {
        var tenant = await host.CreateTenantAsync("agi-" + Guid.NewGuid().ToString("N")[..8]);
        var botId = await host.CreateBotAsync(tenant.Id);
        await host.Services.GetRequiredService<IPhoneNumberCatalog>()
            .CreateAsync(tenant.Id, new PhoneNumberInput { Number = number, BotId = botId }, CancellationToken.None);
        return (botId, tenant.Id);
    }

    private sealed class AgiClient : IAsyncDisposable
    {
        private readonly TcpClient _client;
        private readonly StreamReader _reader;
        private readonly StreamWriter _writer;

        private AgiClient(TcpClient client)
        {
            _client = client;
            _reader = new StreamReader(client.GetStream(), Encoding.UTF8);
            _writer = new StreamWriter(client.GetStream(), new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        }

        public static async Task<AgiClient> ConnectAsync(GatewayTestHost host)
        {
            var endPoint = await host.Services.GetRequiredService<FastAgiServer>().BoundAsync.WaitAsync(TimeSpan.FromSeconds(10));
            var client = new TcpClient();
            await client.ConnectAsync(endPoint!);
            return new AgiClient(client);
        }

        /// <summary>The block Asterisk 20 sends for <c>AGI(agi://vox/route)</c> from <c>[from-external]</c>.</summary>
        public async Task SendHeaderAsync(string script, string extension)
        {
            foreach (var line in new[]
            {
                "agi_network: yes", $"agi_network_script: {script}", $"agi_request: agi://vox:4573/{script}", "agi_channel: PJSIP/trunk-00000001",
                "agi_language: en", "agi_type: PJSIP", "agi_uniqueid: 1700000000.1", "agi_version: 20.5.0", "agi_callerid: +14155550100",
                "agi_calleridname: Alice", "agi_callingpres: 0", "agi_callingani2: 0", "agi_callington: 0", "agi_callingtns: 0",
                $"agi_dnid: {extension}", "agi_rdnis: unknown", "agi_context: from-external", $"agi_extension: {extension}", "agi_priority: 2",
                "agi_enhanced: 0.0", "agi_accountcode: ", "agi_threadid: 140000000000000", "",
            })
            {
                await WriteLineAsync(line);
            }
        }

        public Task WriteLineAsync(string line) => _writer.WriteLineAsync(line);

        public async Task<string?> ReadLineAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await _reader.ReadLineAsync(timeout.Token);
        }

        public ValueTask DisposeAsync()
        {
            _client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
