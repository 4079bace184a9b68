using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Vox.Grains.Bots;
using Vox.Grains.Internal;
using Vox.Grains.Calls;
using Vox.Testing;

namespace Vox.Integration.Tests.Sip;

/// <summary>
/// Blind transfer of an answered call through SIP REFER, with its outcome on the call record: asked through the REST API,
/// or by the bot on its worker (a transfer digit here; the <c>transfer_call</c> tool takes the same path), which asks the
/// gateway carrying the call at the control URL it was given.
/// </summary>
public sealed class SipTransferTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)] // the REST request reaches a silo that does not carry the dialog; the one that does sends the REFER
    public async Task Transfer_sends_refer_and_a_completed_notify_ends_the_call_transferred(int silos, int askedSilo)
    {
        await using var bed = await SipTestBed.StartAsync(silos: silos);
        await using var caller = SippProcess.StartScenario(SippScenarios.CallerAcceptsTransfer, "-s", SipTestBed.Number, "-m", "1", "-i", "127.0.0.1",
            "-p", FreePort.Next().ToString(), "-mp", FreePort.NextRange(4).ToString(), "-timeout", "60s", $"127.0.0.1:{bed.SipPort}");
        string callId = null!;
        await SipTestBed.WaitForAsync(async () =>
        {
            var ids = await bed.CallIdsAsync();
            return ids.Count == 1 && (await bed.Grains.GetGrain<ICallGrain>(callId = ids[0]).GetAsync(null, CancellationToken.None)).State == CallState.InProgress;
        }, TimeSpan.FromSeconds(30), "the call is up");

        var key = await bed.Cluster.Tenants.CreateApiKeyAsync(bed.TenantId, "transfer", false, CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/calls/{callId}/transfer") { Content = JsonContent.Create(new { to = "+14155550777" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        using var response = await bed.Cluster.Http(askedSilo).SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        if (askedSilo != 0)
        {
            // Silo 1 has no SIP listener: it found silo 0, which carries the dialog, and handed the transfer to it.
            await SipTestBed.WaitForAsync(() => Task.FromResult(bed.Cluster.Silos[askedSilo].Output.Contains("transfer handed to silo", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), "silo 1 logs the hand-over");
        }

        var exit = await caller.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.True(exit == 0, $"the caller saw no REFER or no BYE after its NOTIFY (exit {exit}):\n{caller.Messages}");
        var record = await bed.WaitForEndAsync(callId, withResult: true, TimeSpan.FromSeconds(30));
        Assert.Equal(EndReasons.Transferred, record.EndReason);
        var events = await bed.Grains.GetGrain<ICallGrain>(callId).GetEventsAsync(null, CancellationToken.None);
        Assert.Contains(events, e => e.Type == "transfer_requested");
        Assert.Contains(events, e => e.Type == "transfer_completed");
    }

    [Fact]
    public async Task A_transfer_digit_makes_the_worker_ask_the_gateway_which_sends_refer_and_the_call_ends_transferred()
    {
        var bot = SipTestBed.Greeter with
        {
            DtmfActions = [new DtmfAction { Digit = "0", Reply = "Transferring you to an operator.", TransferTo = "+14155550777" }],
        };
        await using var bed = await SipTestBed.StartAsync(bot: bot, settings: new Dictionary<string, string> { ["Logging:LogLevel:Vox.Silo.Hosting"] = "Information" });
        await using var caller = SippProcess.StartScenario(SippScenarios.CallerPressesZeroAndAcceptsTransfer, "-s", SipTestBed.Number, "-m", "1", "-i", "127.0.0.1",
            "-p", FreePort.Next().ToString(), "-mi", "127.0.0.1", "-mp", FreePort.NextRange(4).ToString(), "-timeout", "60s", $"127.0.0.1:{bed.SipPort}");

        var exit = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"the caller saw no REFER to the operator or no BYE after its NOTIFY (exit {exit}):\n{caller.Messages}\n{bed.Cluster.Silos[0].Output}");
        var callId = Assert.Single(await bed.CallIdsAsync());
        var record = await bed.WaitForEndAsync(callId, withResult: true, TimeSpan.FromSeconds(30));
        Assert.Equal(EndReasons.Transferred, record.EndReason);
        var events = await bed.Grains.GetGrain<ICallGrain>(callId).GetEventsAsync(null, CancellationToken.None);
        Assert.Contains(events, e => e.Type == "transfer_requested");
        Assert.Contains(events, e => e.Type == "transfer_completed");

        // The digit reached the worker's pipeline and the reply was spoken before the REFER.
        var turns = await bed.Grains.GetGrain<ICallGrain>(callId).GetTurnsAsync(null, CancellationToken.None);
        Assert.Contains(turns, t => t.Role == "user" && t.Text == "[dtmf 0]");
        Assert.Contains(turns, t => t.Role == "assistant" && t.Text == "Transferring you to an operator.");
        Assert.Equal(1, (await bed.Pool.GetSnapshotAsync(CancellationToken.None)).Idle);
    }

    [Fact]
    public async Task The_internal_transfer_endpoint_refuses_bad_input_and_calls_it_does_not_carry()
    {
        await using var bed = await SipTestBed.StartAsync(workers: 0);
        var http = bed.Cluster.Http(0);
        async Task<(HttpStatusCode Status, string Body)> PostAsync(string callId, string body, string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, InternalApi.SipCall(callId) + "/transfer") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (token is not null)
            {
                request.Headers.Add(InternalApi.TokenHeader, token);
            }

            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("call_x", """{"to":"+14155550777"}""", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("call_x", """{"to":"+14155550777"}""", "wrong-token")).Status);

        var malformed = await PostAsync("call_x", """{"to":""", TestCluster.Token);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);

        // A CR LF in a SIP URI would forge headers in the REFER: refused before any SIP is sent.
        var injected = await PostAsync("call_x", """{"to":"sip:op@127.0.0.1\r\nX-Injected: yes"}""", TestCluster.Token);
        Assert.Equal(HttpStatusCode.BadRequest, injected.Status);
        Assert.Contains("\"to\"", injected.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("call_x", """{"to":"operator"}""", TestCluster.Token)).Status);

        var unknown = await PostAsync("call_x", """{"to":"+14155550777"}""", TestCluster.Token);
        Assert.Equal(HttpStatusCode.Conflict, unknown.Status);
        Assert.Contains("transfer_unavailable", unknown.Body, StringComparison.Ordinal);

        // The silo is still serving.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }
}
