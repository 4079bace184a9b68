using System.Buffers.Binary;

namespace Vox.MediaWorker.Rtp;

/// <summary>The fixed RTP header (RFC 3550 section 5.1) with the payload's place in the packet.</summary>
public readonly record struct RtpHeader(bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc)
{
    /// <summary>Size of a header with no CSRCs and no extension.</summary>
    public const int Size = 12;

    /// <summary>Reads a packet's header; false when it is not RTP version 2 or is truncated. <paramref name="payload"/> excludes CSRCs, extension and padding.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header, out Range payload)
    {
        header = default;
        payload = default;
        if (packet.Length < Size || packet[0] >> 6 != 2)
        {
            return false;
        }

        var offset = Size + 4 * (packet[0] & 0x0F);
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4)
            {
                return false;
            }

            offset += 4 + 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
        }

        var end = packet.Length;
        if ((packet[0] & 0x20) != 0 && end > 0)
        {
            end -= packet[^1];
        }

        if (offset > end)
        {
            return false;
        }

        header = new RtpHeader((packet[1] & 0x80) != 0, (byte)(packet[1] & 0x7F), BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]), BinaryPrimitives.ReadUInt32BigEndian(packet[8..]));
        payload = offset..end;
        return true;
    }

    /// <summary>Writes the 12-byte header into <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        destination[0] = 0x80;
        destination[1] = (byte)((Marker ? 0x80 : 0) | (PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Ssrc);
    }
}
