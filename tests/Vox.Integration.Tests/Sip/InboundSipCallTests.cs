using System.Text.RegularExpressions;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Rtp;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Integration.Tests.Sip;

/// <summary>Inbound SIP calls from the real sipp to a silo with a real worker on the offline voice stack.</summary>
public sealed partial class InboundSipCallTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sipp_uac_pcap_gets_a_pcma_answer_hears_the_greeting_and_its_digit_reaches_the_pipeline()
    {
        // sipp's pcap is speech from the first instant; with barge-in on, a busy machine (the greeting starts later, the
        // speech does not) let it cut the greeting short of a second of RTP. This test is about media reaching sipp.
        await using var bed = await SipTestBed.StartAsync(bot: SipTestBed.Greeter with
        {
            TurnTaking = new TurnTakingSettings { EndOfTurnSilenceMs = 600, AllowBargeIn = false },
        });
        using var capture = new UdpCapture();
        var mediaPort = FreePort.NextRange(4);
        await using var sipp = SippProcess.Start("-sn", "uac_pcap", "-s", SipTestBed.Number, "-m", "1", "-i", "127.0.0.1", "-p", FreePort.Next().ToString(),
            "-mi", "127.0.0.1", "-mp", mediaPort.ToString(), "-timeout", "60s", $"127.0.0.1:{bed.SipPort}");
        var exit = await sipp.WaitAsync(TimeSpan.FromSeconds(60));
        var messages = sipp.Messages;
        output.WriteLine(sipp.Output);
        output.WriteLine(messages);
        Assert.True(exit == 0, $"sipp reports a failed call (exit {exit}):\n{messages}\n{bed.Cluster.Silos[0].Output}");

        // The 200 OK answers PCMA (and telephone-event) and points RTP at the worker.
        var answer = Answer().Match(messages);
        Assert.True(answer.Success, "a 200 OK with SDP");
        Assert.Equal("8", answer.Groups["formats"].Value.Split(' ')[0]);
        var workerPort = int.Parse(answer.Groups["port"].Value);

        var callId = Assert.Single(await bed.CallIdsAsync());
        var record = await bed.WaitForEndAsync(callId, withResult: true, TimeSpan.FromSeconds(30));

        // What the worker sent to sipp's media port: PCMA in 20 ms packets that carry speech (the greeting).
        var sippMediaPort = int.Parse(SippMediaPort().Match(messages).Groups["port"].Value);
        var rtp = capture.To(sippMediaPort).Where(p => p.SourcePort == workerPort).ToList();
        output.WriteLine($"{rtp.Count} RTP packets from the worker");
        Assert.True(rtp.Count > 50, "the worker streamed RTP to sipp");
        var loud = 0;
        foreach (var (_, packet) in rtp)
        {
            Assert.True(RtpHeader.TryParse(packet, out var header, out var range));
            Assert.Equal(RtpCodec.Pcma, header.PayloadType);
            Assert.Equal(160, packet[range].Length);
            var samples = new short[160];
            ALawCodec.Decode(packet.AsSpan(range), samples);
            loud += Pcm16.Dbfs(samples) > -40 ? 1 : 0;
        }

        output.WriteLine($"{loud} packets louder than -40 dBFS");
        Assert.True(loud > 25, "the greeting has speech energy (at least half a second above -40 dBFS)");

        // The record: ended by the caller's BYE, greeting in the transcript, recording, and the RFC 4733 digit '1' crossed the pipeline.
        Assert.Equal(EndReasons.CallerHangup, record.EndReason);
        Assert.Equal("sip", record.Transport);
        Assert.Equal(SipTestBed.Number, record.To);
        Assert.NotNull(record.AnsweredAt);
        Assert.NotNull(record.RecordingRef);
        Assert.Equal("1", record.Metrics!.Value.GetProperty("dtmf").GetString());
        var turns = await bed.Grains.GetGrain<ICallGrain>(callId).GetTurnsAsync(null, CancellationToken.None);
        Assert.StartsWith("Hello", turns.First(t => t.Role == "assistant").Text, StringComparison.Ordinal);
        Assert.Equal(1, (await bed.Pool.GetSnapshotAsync(CancellationToken.None)).Idle);
    }

    [GeneratedRegex(@"SIP/2\.0 200 OK[\s\S]*?m=audio (?<port>\d+) RTP/AVP (?<formats>[\d ]+)")]
    private static partial Regex Answer();

    [GeneratedRegex(@"INVITE sip:[\s\S]*?m=audio (?<port>\d+) RTP/AVP")]
    private static partial Regex SippMediaPort();
}
