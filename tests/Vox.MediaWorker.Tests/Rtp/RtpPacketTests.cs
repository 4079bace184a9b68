using Vox.MediaWorker.Rtp;

namespace Vox.MediaWorker.Tests.Rtp;

public sealed class RtpPacketTests
{
    [Fact]
    public void Header_round_trips_and_payload_skips_csrcs_extension_and_padding()
    {
        var packet = new byte[12 + 4 + 8 + 160 + 4];
        new RtpHeader(true, 8, 65535, 123456, 0xCAFEBABE).Write(packet);
        packet[0] |= 0x01 | 0x10 | 0x20; // one CSRC, an extension, padding
        packet[12 + 4 + 3] = 1; // extension length: one 32-bit word
        packet[^1] = 4; // four bytes of padding
        Assert.True(RtpHeader.TryParse(packet, out var header, out var payload));
        Assert.Equal(new RtpHeader(true, 8, 65535, 123456, 0xCAFEBABE), header);
        Assert.Equal(160, payload.GetOffsetAndLength(packet.Length).Length);
        Assert.Equal(24, payload.GetOffsetAndLength(packet.Length).Offset);
    }

    [Theory]
    [InlineData(new byte[] { 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x80, 0 })]
    [InlineData(new byte[] { 0x8F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void Not_rtp_or_truncated_is_refused(byte[] packet) => Assert.False(RtpHeader.TryParse(packet, out _, out _));

    [Fact]
    public void Telephone_event_round_trips_and_names_its_digit()
    {
        var bytes = new byte[4];
        new TelephoneEvent(11, true, 10, 800).Write(bytes);
        Assert.True(TelephoneEvent.TryParse(bytes, out var e));
        Assert.Equal((byte)11, e.Event);
        Assert.True(e.End);
        Assert.Equal((ushort)800, e.Duration);
        Assert.Equal('#', e.Digit);
        Assert.Equal((byte)10, TelephoneEvent.EventOf('*'));
        Assert.Equal('D', new TelephoneEvent(15, false, 0, 0).Digit);
    }

    [Fact]
    public void Jitter_buffer_reorders_drops_late_and_declares_loss_across_wrap()
    {
        var buffer = new JitterBuffer(depth: 2);
        var order = new List<int>();
        void Drain()
        {
            while (buffer.TryPop(out var p))
            {
                order.Add(p is null ? -1 : p[0]);
            }
        }

        buffer.Push(65534, [1]);
        Drain();
        buffer.Push(0, [3]); // 65535 is late
        Drain();
        buffer.Push(65535, [2]);
        Drain();
        buffer.Push(2, [5]); // 1 is lost
        buffer.Push(3, [6]);
        buffer.Push(4, [7]);
        Drain();
        buffer.Push(0, [3]); // duplicate and late
        Drain();
        Assert.Equal([1, 2, 3, -1, 5, 6, 7], order);
        Assert.Equal(1, buffer.Lost);
        Assert.Equal(1, buffer.Dropped);
    }
}
