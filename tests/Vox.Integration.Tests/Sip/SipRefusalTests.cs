using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Integration.Tests.Sip;

/// <summary>Calls that never connect: CANCEL while ringing, a full fleet. No slot may leak.</summary>
public sealed class SipRefusalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cancel_while_ringing_gets_487_and_frees_the_slot()
    {
        await using var bed = await SipTestBed.StartAsync(settings: new Dictionary<string, string> { ["Sip:AnswerDelayMs"] = "3000" });
        await using var sipp = SippProcess.StartScenario(SippScenarios.CancelAfterRinging, "-s", SipTestBed.Number, "-m", "1", "-i", "127.0.0.1",
            "-p", FreePort.Next().ToString(), "-mp", FreePort.NextRange(4).ToString(), "-timeout", "30s", $"127.0.0.1:{bed.SipPort}");
        var exit = await sipp.WaitAsync(TimeSpan.FromSeconds(40));
        output.WriteLine(sipp.Messages);
        Assert.True(exit == 0, $"sipp saw no 200/487 for its CANCEL (exit {exit}):\n{sipp.Messages}\n{bed.Cluster.Silos[0].Output}");

        var callId = Assert.Single(await bed.CallIdsAsync());
        var record = await bed.WaitForEndAsync(callId, withResult: false, TimeSpan.FromSeconds(10));
        Assert.Equal(EndReasons.Cancelled, record.EndReason);
        Assert.Null(record.AnsweredAt);
        await SipTestBed.WaitForAsync(async () => (await bed.Pool.GetSnapshotAsync(CancellationToken.None)).Idle == 1, TimeSpan.FromSeconds(10), "the slot is idle again");
    }

    [Theory]
    [InlineData(503)]
    [InlineData(486)]
    public async Task Full_fleet_is_refused_with_retry_after_and_leaks_no_slot(int status)
    {
        await using var bed = await SipTestBed.StartAsync(settings: new Dictionary<string, string> { ["Sip:BusyStatus"] = status.ToString() });
        // The only worker takes a call that holds for a while.
        await using var holder = SippProcess.StartScenario(SippScenarios.Hold(6000), "-s", SipTestBed.Number, "-m", "1", "-i", "127.0.0.1",
            "-p", FreePort.Next().ToString(), "-mp", FreePort.NextRange(4).ToString(), "-timeout", "40s", $"127.0.0.1:{bed.SipPort}");
        await SipTestBed.WaitForAsync(async () => (await bed.Pool.GetSnapshotAsync(CancellationToken.None)).Busy == 1, TimeSpan.FromSeconds(20), "the first call holds the worker");

        await using var refused = SippProcess.StartScenario(SippScenarios.Refused(status), "-s", SipTestBed.Number, "-m", "1", "-i", "127.0.0.1",
            "-p", FreePort.Next().ToString(), "-mp", FreePort.NextRange(4).ToString(), "-timeout", "20s", $"127.0.0.1:{bed.SipPort}");
        var exit = await refused.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"the second call was not refused {status} with Retry-After (exit {exit}):\n{refused.Messages}");

        Assert.Equal(0, await holder.WaitAsync(TimeSpan.FromSeconds(40)));
        var calls = await bed.CallIdsAsync();
        Assert.Equal(2, calls.Count);
        var second = await bed.WaitForEndAsync(calls[1], withResult: false, TimeSpan.FromSeconds(10));
        Assert.Equal(EndReasons.NoCapacity, second.EndReason);
        var first = await bed.WaitForEndAsync(calls[0], withResult: true, TimeSpan.FromSeconds(30));
        Assert.Equal(EndReasons.CallerHangup, first.EndReason);
        await SipTestBed.WaitForAsync(async () => (await bed.Pool.GetSnapshotAsync(CancellationToken.None)) is { Idle: 1, Reserved: 0, Busy: 0 },
            TimeSpan.FromSeconds(15), "no slot is left reserved or busy");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_invite_from_outside_the_numbers_trunk_sources_is_403_whether_the_trunk_is_configured_or_stored(bool stored)
    {
        // The number belongs to trunk "pbx", which only takes calls from 192.0.2.0/24; sipp calls from 127.0.0.1.
        var settings = stored ? null : new Dictionary<string, string> { ["Sip:Trunks:pbx:Address"] = "192.0.2.10", ["Sip:Trunks:pbx:AllowedSources:0"] = "192.0.2.0/24" };
        await using var bed = await SipTestBed.StartAsync(settings: settings, trunk: "pbx");
        var trunks = new Vox.Grains.Trunks.SipTrunkCatalog(bed.Cluster.Store, new Vox.Grains.Secrets.SecretCipher(new Vox.Grains.Secrets.SecretsOptions()));
        var input = new Vox.Grains.Trunks.SipTrunkInput { Name = "pbx", Address = "192.0.2.10", AllowedSources = ["192.0.2.0/24"] };
        var stored1 = stored ? await trunks.CreateAsync(bed.TenantId, input, CancellationToken.None) : null;

        await using (var refused = SippProcess.StartScenario(SippScenarios.Rejected(403), "-s", SipTestBed.Number, "-m", "1", "-i", "127.0.0.1",
            "-p", FreePort.Next().ToString(), "-mp", FreePort.NextRange(4).ToString(), "-timeout", "20s", $"127.0.0.1:{bed.SipPort}"))
        {
            var exit = await refused.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(exit == 0, $"the INVITE from outside the trunk's sources was not refused 403 (exit {exit}):\n{refused.Messages}");
        }

        Assert.Empty(await bed.CallIdsAsync());
        Assert.Equal(1, (await bed.Pool.GetSnapshotAsync(CancellationToken.None)).Idle);
        if (stored1 is not null)
        {
            // The tenant allows its loopback PBX: the same call now goes through, with no restart.
            await trunks.UpdateAsync(bed.TenantId, stored1.Id, input with { AllowedSources = ["127.0.0.0/8"] }, CancellationToken.None);
            await using var allowed = SippProcess.StartScenario(SippScenarios.Hold(500), "-s", SipTestBed.Number, "-m", "1", "-i", "127.0.0.1",
                "-p", FreePort.Next().ToString(), "-mp", FreePort.NextRange(4).ToString(), "-timeout", "30s", $"127.0.0.1:{bed.SipPort}");
            Assert.True(await allowed.WaitAsync(TimeSpan.FromSeconds(40)) == 0, $"the allowed call did not connect:\n{allowed.Messages}");
            Assert.Single(await bed.CallIdsAsync());
        }
    }
}
