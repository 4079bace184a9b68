using Vox.Grains.Calls;
using Xunit.Abstractions;

namespace Vox.Integration.Tests.Sip;

/// <summary>A scripted call from the real baresip: it offers Opus first, Vox answers G.711; the caller hangs up cleanly.</summary>
public sealed class BaresipCallTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Baresip_call_is_answered_with_g711_and_its_hangup_ends_the_call_cleanly()
    {
        await using var bed = await SipTestBed.StartAsync();
        await using var baresip = BaresipProcess.Dial($"sip:{SipTestBed.Number}@127.0.0.1:{bed.SipPort}");
        string callId = null!;
        using var dump = new Dump(() => output.WriteLine(baresip.Output + "\n--- silo ---\n" + bed.Cluster.Silos[0].Output));
        await SipTestBed.WaitForAsync(async () =>
        {
            var ids = await bed.CallIdsAsync();
            if (ids.Count == 0)
            {
                return false;
            }

            callId = ids[0];
            return (await bed.Grains.GetGrain<ICallGrain>(callId).GetAsync(null, CancellationToken.None)).State == CallState.InProgress;
        }, TimeSpan.FromSeconds(30), "baresip's call is in progress");

        await Task.Delay(TimeSpan.FromSeconds(4));
        await baresip.CommandAsync("/hangup");
        var record = await bed.WaitForEndAsync(callId, withResult: true, TimeSpan.FromSeconds(30));
        await baresip.CommandAsync("/quit");
        var exit = await baresip.WaitAsync(TimeSpan.FromSeconds(15));
        var log = baresip.Output;

        Assert.Equal(0, exit);
        Assert.Contains("m=audio", log, StringComparison.Ordinal);
        Assert.Matches(@"SIP/2\.0 200 OK[\s\S]*?m=audio \d+ RTP/AVP (0|8) 101", log);
        Assert.Matches(@"SIP/2\.0 200 OK[\s\S]*?CSeq: \d+ BYE", log);
        Assert.Equal(EndReasons.CallerHangup, record.EndReason);
        Assert.NotNull(record.RecordingRef);
        Assert.Equal(1, (await bed.Pool.GetSnapshotAsync(CancellationToken.None)).Idle);
    }

    private sealed class Dump(Action write) : IDisposable
    {
        public void Dispose() => write();
    }
}
