using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Vox.Grains.Calls;
using Vox.Testing;

namespace Vox.Integration.Tests.Sip;

/// <summary>Blind transfer of an answered call through SIP REFER, with its outcome on the call record.</summary>
public sealed class SipTransferTests
{
    [Fact]
    public async Task Transfer_sends_refer_and_a_completed_notify_ends_the_call_transferred()
    {
        await using var bed = await SipTestBed.StartAsync();
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
        using var response = await bed.Cluster.Http(0).SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        var exit = await caller.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.True(exit == 0, $"the caller saw no REFER or no BYE after its NOTIFY (exit {exit}):\n{caller.Messages}");
        var record = await bed.WaitForEndAsync(callId, withResult: true, TimeSpan.FromSeconds(30));
        Assert.Equal(EndReasons.Transferred, record.EndReason);
        var events = await bed.Grains.GetGrain<ICallGrain>(callId).GetEventsAsync(null, CancellationToken.None);
        Assert.Contains(events, e => e.Type == "transfer_requested");
        Assert.Contains(events, e => e.Type == "transfer_completed");
    }
}
