namespace Vox.MediaWorker.Rtp;

/// <summary>
/// A small reordering buffer for one RTP stream: holds up to <c>depth</c> packets, releases them in sequence order,
/// drops duplicates and packets that arrive after their turn, and reports a missing packet as lost (null) once later
/// ones have waited long enough, so the decoder can fill the gap with silence.
/// </summary>
public sealed class JitterBuffer(int depth)
{
    private readonly SortedDictionary<long, byte[]> _packets = [];
    private long _next = -1;
    private long _highest = -1;

    /// <summary>Packets dropped as late or duplicate.</summary>
    public long Dropped { get; private set; }

    /// <summary>Packets declared lost.</summary>
    public long Lost { get; private set; }

    /// <summary>Adds a packet's payload with its 16-bit sequence number (wrap-around handled).</summary>
    public void Push(ushort sequence, byte[] payload)
    {
        var extended = Extend(sequence);
        if ((_next >= 0 && extended < _next) || !_packets.TryAdd(extended, payload))
        {
            Dropped++;
            return;
        }

        if (_next < 0)
        {
            _next = extended;
        }
    }

    /// <summary>Takes the next payload in order: true with the payload, true with null for a lost packet, false when it must wait.</summary>
    public bool TryPop(out byte[]? payload)
    {
        payload = null;
        if (_packets.Count == 0)
        {
            return false;
        }

        if (_packets.Remove(_next, out payload))
        {
            _next++;
            return true;
        }

        if (_packets.Count > depth)
        {
            // The packet we wait for is later than 'depth' packets that followed it: call it lost.
            _next++;
            Lost++;
            return true;
        }

        return false;
    }

    private long Extend(ushort sequence)
    {
        if (_highest < 0)
        {
            _highest = sequence;
            return sequence;
        }

        var candidate = (_highest & ~0xFFFFL) | sequence;
        if (candidate < _highest - 0x8000)
        {
            candidate += 0x10000;
        }
        else if (candidate > _highest + 0x8000)
        {
            candidate -= 0x10000;
        }

        if (candidate > _highest)
        {
            _highest = candidate;
        }

        return candidate;
    }
}
