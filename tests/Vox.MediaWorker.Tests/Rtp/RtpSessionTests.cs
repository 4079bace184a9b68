using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Rtp;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Tests.Rtp;

/// <summary>An RTP session on loopback against a test socket acting as the caller's phone.</summary>
public sealed class RtpSessionTests
{
    [Fact]
    public async Task Pcma_and_telephone_events_reach_the_pipeline_and_audio_goes_back_to_the_source()
    {
        await using var session = NewSession(inactivitySeconds: 30);
        using var phone = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        // The SDP said port 9 (discard); symmetric RTP must answer where the packets really come from.
        session.Configure(new IPEndPoint(IPAddress.Loopback, 9), RtpCodec.Pcma, 101);
        session.Start();
        Assert.Equal(new TransportStart("call_rtp", 8000), await ReadAsync(session));

        var tone = Enumerable.Range(0, 160).Select(i => (short)(8000 * Math.Sin(i * 2 * Math.PI / 16))).ToArray();
        var payload = new byte[160];
        ALawCodec.Encode(tone, payload);
        for (ushort seq = 10; seq < 13; seq++)
        {
            await phone.SendAsync(Packet(false, 8, seq, seq * 160u, payload), session.LocalEndPoint);
        }

        for (var i = 0; i < 3; i++)
        {
            var audio = Assert.IsType<TransportAudio>(await ReadAsync(session));
            Assert.Equal(160, audio.Samples.Length);
            Assert.True(Pcm16.Rms(audio.Samples) > 4000, "decoded A-law keeps the tone's energy");
        }

        // An RFC 4733 '5': three updates and three copies of the end packet, one start timestamp: one digit.
        for (var i = 0; i < 6; i++)
        {
            var ev = new byte[4];
            new TelephoneEvent(5, i >= 3, 10, (ushort)(160 * Math.Min(i + 1, 4))).Write(ev);
            await phone.SendAsync(Packet(i == 0, 101, (ushort)(13 + i), 5000, ev), session.LocalEndPoint);
        }

        Assert.Equal(new TransportDtmf('5'), await ReadAsync(session));

        await session.SendAudioAsync(tone, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var back = await phone.ReceiveAsync(timeout.Token);
        Assert.True(RtpHeader.TryParse(back.Buffer, out var header, out var range));
        Assert.Equal((byte)8, header.PayloadType);
        Assert.True(header.Marker, "the first packet of a talkspurt carries the marker");
        Assert.Equal(160, back.Buffer[range].Length);
        Assert.Equal(session.LocalEndPoint.Port, back.RemoteEndPoint.Port);
        Assert.Equal(1, session.Counters.Digits);
    }

    [Fact]
    public async Task Silence_on_the_wire_hangs_up_unless_on_hold()
    {
        await using var session = NewSession(inactivitySeconds: 1);
        session.Start();
        Assert.IsType<TransportStart>(await ReadAsync(session));
        session.SetHold(true);
        using (var early = new CancellationTokenSource(TimeSpan.FromSeconds(1.6)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await session.ReceiveAsync(early.Token));
        }

        session.SetHold(false);
        var stop = Assert.IsType<TransportStop>(await ReadAsync(session));
        Assert.Equal("rtp_timeout", stop.Reason);
    }

    [Fact]
    public async Task Outgoing_digits_are_rfc_4733_events_with_a_shared_timestamp_and_three_end_packets()
    {
        await using var session = NewSession(inactivitySeconds: 30);
        using var phone = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        session.Configure((IPEndPoint)phone.Client.LocalEndPoint!, RtpCodec.Pcmu, 101);
        await session.SendDigitsAsync("#", CancellationToken.None);
        var packets = new List<(RtpHeader Header, TelephoneEvent Event)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (packets.Count < 8)
        {
            var r = await phone.ReceiveAsync(timeout.Token);
            Assert.True(RtpHeader.TryParse(r.Buffer, out var h, out var range));
            Assert.True(TelephoneEvent.TryParse(r.Buffer[range], out var e));
            packets.Add((h, e));
        }

        Assert.All(packets, p => Assert.Equal(11, p.Event.Event));
        Assert.Single(packets.Select(p => p.Header.Timestamp).Distinct());
        Assert.True(packets[0].Header.Marker);
        Assert.Equal(3, packets.Count(p => p.Event.End));
    }

    private static RtpSession NewSession(int inactivitySeconds) =>
        new("call_rtp", IPAddress.Loopback, new RtpOptions { InactivitySeconds = inactivitySeconds, JitterDepth = 2 }, TimeProvider.System, NullLogger<RtpSession>.Instance);

    private static async Task<TransportInput> ReadAsync(RtpSession session)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await session.ReceiveAsync(timeout.Token);
    }

    private static byte[] Packet(bool marker, byte pt, ushort seq, uint timestamp, byte[] payload)
    {
        var packet = new byte[RtpHeader.Size + payload.Length];
        new RtpHeader(marker, pt, seq, timestamp, 0x1234).Write(packet);
        payload.CopyTo(packet, RtpHeader.Size);
        return packet;
    }
}
