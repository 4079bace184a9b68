using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Xunit.Abstractions;

namespace Vox.Integration.Tests.Ingress;

/// <summary>What the ingress refuses, and how: a full fleet, wrong credentials, foreign addresses, broken carrier input.</summary>
[Collection(IngressCollection.Name)]
public sealed class IngressRefusalTests(IngressFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Fleet_full_refuses_the_next_call_with_1013_before_any_audio_and_leaks_no_slot()
    {
        await fixture.WaitIdleAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var callers = new List<ICallMateCaller>();
        try
        {
            for (var i = 0; i < IngressFixture.Workers; i++)
            {
                var caller = new ICallMateCaller();
                callers.Add(caller);
                await caller.ConnectAsync(fixture.Url("iCallMate"), null, cts.Token);
            }

            await IngressFixture.WaitForAsync(async () => (await fixture.SnapshotAsync()).Busy == IngressFixture.Workers, TimeSpan.FromSeconds(20), "both workers carry a call");
            var calls = await fixture.CallCountAsync();

            var refused = await RawSocket.SendAsync(fixture.Url("iCallMate"), [RawSocket.Text("""{"event":"start"}""")], TimeSpan.FromSeconds(10));
            output.WriteLine($"refused: {(int?)refused.Status} {refused.Reason}");
            Assert.Equal(1013, (int?)refused.Status);
            Assert.StartsWith("busy: No capacity", refused.Reason, StringComparison.Ordinal);
            Assert.Equal(0, refused.MessagesBeforeClose);

            var snapshot = await fixture.SnapshotAsync();
            Assert.Equal((IngressFixture.Workers, 0, 0), (snapshot.Busy, snapshot.Reserved, snapshot.Idle));
            Assert.Equal(calls, await fixture.CallCountAsync());
            // Each busy worker holds a different call: no worker carries two.
            Assert.Equal(IngressFixture.Workers, snapshot.Workers.Select(w => w.CallId).Distinct().Count(id => id is not null));
        }
        finally
        {
            foreach (var caller in callers)
            {
                await caller.HangUpAsync(CancellationToken.None);
                await caller.DisposeAsync();
            }
        }

        await fixture.WaitIdleAsync();
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_at_the_handshake_before_anything_is_reserved()
    {
        await fixture.WaitIdleAsync();
        var calls = await fixture.CallCountAsync();
        var vonage = fixture.Url("vonage");
        var token = vonage[(vonage.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        var baseWs = vonage[..vonage.IndexOf("/vonage/", StringComparison.Ordinal)];
        var exotel = $"{baseWs}/exotel/{IngressFixture.BotId}";
        string[] refusedUrls =
        [
            $"{baseWs}/vonage/{IngressFixture.BotId}?token={tampered}",
            $"{baseWs}/vonage/{IngressFixture.BotId}",
            $"{baseWs}/vonage/bot_nobody?token={token}",
            $"{baseWs}/twilio/{IngressFixture.BotId}/{tampered}",
        ];
        foreach (var url in refusedUrls)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeStatusAsync(url, null));
        }

        var wrongBasic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("KEY:not-the-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeStatusAsync(exotel, wrongBasic));

        var snapshot = await fixture.SnapshotAsync();
        Assert.Equal((IngressFixture.Workers, 0, 0), (snapshot.Idle, snapshot.Reserved, snapshot.Busy));
        Assert.Equal(calls, await fixture.CallCountAsync());
        Assert.DoesNotContain(fixture.Secret, fixture.Cluster.Silos[0].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Address_outside_the_bots_allow_list_is_refused_with_403()
    {
        const string botId = "bot_ingress_guarded";
        var tenant = (await fixture.Cluster.Grains(0).GetGrain<IBotGrain>(IngressFixture.BotId).GetRuntimeConfigAsync(CancellationToken.None)).TenantId;
        await fixture.Cluster.Grains(0).GetGrain<IBotGrain>(botId).CreateAsync(tenant, IngressFixture.Bot with { IngressAllowedIps = ["10.0.0.0/8", "192.0.2.7"] }, CancellationToken.None);
        using var response = await fixture.Api.PostAsync($"/v1/bots/{botId}/ingress-secret", null);
        var urls = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("urls");
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeStatusAsync(urls.GetProperty("vonage").GetString()!, null));
    }

    public static TheoryData<string, string[], int, string> BadInput => new()
    {
        { "twilio", ["""{"event":"connected"}""", """{"event":"start","streamSid":"MZ1","start":{"streamSid":"MZ1"}}""", "{not json"], 1007, "malformed JSON from Twilio" },
        { "exotel", ["""{"event":"connected"}""", """{"event":"start","stream_sid":"MZ1","start":{}}""", """{"event":"media","stream_sid":"MZ1","media":{"payload":"%%%not-base64%%%"}}"""], 1007, "not valid base64" },
        { "twilio", ["""{"event":"connected"}""", """{"event":"media","streamSid":"MZ1","media":{"payload":"AAAA"}}"""], 1002, "'media' before the start event" },
        { "twilio", ["""{"event":"connected"}""", """{"event":"start","streamSid":"MZ1","start":{"streamSid":"MZ1"}}""", "#binary"], 1003, "binary message where Twilio sends only JSON text" },
        { "vonage", ["#binary"], 1002, "Vonage 'audio' before the start event" },
        { "exotel-11025", ["""{"event":"connected"}"""], 1008, "sample-rate 11025 is not one of" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Broken_carrier_input_closes_the_call_with_the_reason_recorded_and_the_slot_released(string carrier, string[] messages, int closeCode, string reason)
    {
        await fixture.WaitIdleAsync();
        var url = carrier switch
        {
            "twilio" => fixture.Url("twilio"),
            "vonage" => fixture.Url("vonage"),
            "exotel" => fixture.Url("exotel"),
            _ => fixture.Url("exotel").Replace("sample-rate=8000", "sample-rate=11025", StringComparison.Ordinal),
        };
        var closed = await RawSocket.SendAsync(url, messages.Select(m => m == "#binary" ? RawSocket.Binary(320) : RawSocket.Text(m)), TimeSpan.FromSeconds(20));
        output.WriteLine($"closed {(int?)closed.Status} {closed.Reason}");
        Assert.Equal(closeCode, (int?)closed.Status);
        Assert.Contains(reason, closed.Reason, StringComparison.Ordinal);

        var (record, _) = await fixture.LatestCallAsync(withResult: false);
        Assert.Equal(EndReasons.Error, record.EndReason);
        Assert.Contains(reason, record.EndDetail, StringComparison.Ordinal);
        await fixture.WaitIdleAsync(TimeSpan.FromSeconds(15));
    }

    private static async Task<HttpStatusCode> HandshakeStatusAsync(string url, string? authorization)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }

        var ex = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(url), CancellationToken.None));
        Assert.Contains("101", ex.Message, StringComparison.Ordinal);
        return socket.HttpStatusCode;
    }
}
