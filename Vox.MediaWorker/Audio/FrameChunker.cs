namespace Vox.MediaWorker.Audio;

/// <summary>
/// Re-cuts audio that arrives in arbitrary-sized byte chunks (TTS streams, vendor sockets) into exact 20 ms frames,
/// keeping the remainder for the next chunk.
/// </summary>
/// <remarks>
/// Usage: <c>chunker.Write(chunk); while (chunker.TryReadFrame(frame)) send(frame);</c> and at end of stream
/// <see cref="TryFlush"/> to emit the tail padded with silence. The internal buffer only grows when more than
/// its capacity is written without reading, so steady-state use does not allocate. Not thread-safe.
/// </remarks>
public sealed class FrameChunker
{
    private byte[] _buffer;
    private int _start;
    private int _count;

    /// <summary>Creates a chunker for 20 ms frames of <paramref name="format"/>.</summary>
    public FrameChunker(AudioFormat format)
    {
        Format = format;
        FrameBytes = format.BytesPerFrame;
        _buffer = new byte[FrameBytes * 4];
    }

    /// <summary>The audio format being framed; its silence value pads the final frame.</summary>
    public AudioFormat Format { get; }

    /// <summary>Bytes in one frame.</summary>
    public int FrameBytes { get; }

    /// <summary>Bytes written but not yet read as frames.</summary>
    public int BufferedBytes => _count;

    /// <summary>Whole frames ready to read.</summary>
    public int FramesAvailable => _count / FrameBytes;

    /// <summary>Appends a chunk of any length.</summary>
    public void Write(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        if (_start + _count + chunk.Length > _buffer.Length)
        {
            MakeRoom(chunk.Length);
        }

        chunk.CopyTo(_buffer.AsSpan(_start + _count));
        _count += chunk.Length;
    }

    /// <summary>Copies the next whole frame into <paramref name="frame"/>; false when less than a frame is buffered.</summary>
    public bool TryReadFrame(Span<byte> frame)
    {
        CheckFrameBuffer(frame);
        if (_count < FrameBytes)
        {
            return false;
        }

        _buffer.AsSpan(_start, FrameBytes).CopyTo(frame);
        Consume(FrameBytes);
        return true;
    }

    /// <summary>
    /// Emits whatever is left as one frame padded with silence (call after the last <see cref="TryReadFrame"/>);
    /// false when nothing is buffered. Whole frames still buffered are emitted one per call.
    /// </summary>
    public bool TryFlush(Span<byte> frame)
    {
        CheckFrameBuffer(frame);
        if (_count == 0)
        {
            return false;
        }

        int take = Math.Min(_count, FrameBytes);
        _buffer.AsSpan(_start, take).CopyTo(frame);
        frame[take..FrameBytes].Fill(Format.SilenceByte);
        Consume(take);
        return true;
    }

    /// <summary>Drops anything buffered, e.g. when an interruption discards the rest of an utterance.</summary>
    public void Clear()
    {
        _start = 0;
        _count = 0;
    }

    private void CheckFrameBuffer(Span<byte> frame)
    {
        if (frame.Length < FrameBytes)
        {
            throw new ArgumentException($"A frame needs {FrameBytes} bytes but the buffer holds {frame.Length}.", nameof(frame));
        }
    }

    private void Consume(int bytes)
    {
        _count -= bytes;
        _start = _count == 0 ? 0 : _start + bytes;
    }

    private void MakeRoom(int incoming)
    {
        int needed = _count + incoming;
        if (needed > _buffer.Length)
        {
            var larger = new byte[Math.Max(needed, _buffer.Length * 2)];
            _buffer.AsSpan(_start, _count).CopyTo(larger);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(_start, _count).CopyTo(_buffer);
        }

        _start = 0;
    }
}
