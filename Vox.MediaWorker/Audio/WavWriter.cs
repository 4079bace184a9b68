namespace Vox.MediaWorker.Audio;

/// <summary>
/// Streams a WAV file (PCM16 or G.711, mono or stereo) to a seekable stream: writes a header, appends audio as it
/// arrives, and patches the RIFF/data sizes on <see cref="FlushAsync"/> and dispose. Built for call recordings.
/// </summary>
/// <remarks>
/// Input is always PCM16 and is encoded to the file's format. Buffers are reused, so steady-state writes do not
/// allocate. Calling <see cref="FlushAsync"/> periodically bounds what a crash can lose: the file on disk is then
/// a valid WAV up to that point. Not thread-safe: one writer per recording, one write at a time.
/// </remarks>
public sealed class WavWriter : IAsyncDisposable, IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _origin;
    private readonly int _headerSize;
    private readonly byte[] _header;
    private readonly byte[] _pad = new byte[1];
    private byte[] _encoded = [];
    private short[] _interleaved = [];
    private long _dataBytes;
    private bool _headerWritten;
    private bool _disposed;

    /// <summary>Prepares to write a WAV file at the current position of <paramref name="stream"/>; nothing is written until the first call.</summary>
    /// <param name="stream">A writable, seekable stream (seeking is how the sizes get patched).</param>
    /// <param name="format">The file's format; samples passed in are PCM16 and are encoded to it.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves <paramref name="stream"/> open.</param>
    public WavWriter(Stream stream, AudioFormat format, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite || !stream.CanSeek)
        {
            throw new ArgumentException("A WAV writer needs a writable, seekable stream so it can patch the sizes in the header.", nameof(stream));
        }

        WavHeader.Validate(format, nameof(format));
        _stream = stream;
        _leaveOpen = leaveOpen;
        _origin = stream.Position;
        Format = format;
        _headerSize = WavHeader.GetSize(format);
        _header = new byte[_headerSize];
    }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/> and returns a writer that owns it.</summary>
    public static WavWriter Create(string path, AudioFormat format)
    {
        WavHeader.Validate(format, nameof(format));
        var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 16384, FileOptions.Asynchronous);
        return new WavWriter(stream, format, leaveOpen: false);
    }

    /// <summary>The file's format.</summary>
    public AudioFormat Format { get; }

    /// <summary>Samples per channel written so far.</summary>
    public long SampleFrames => _dataBytes / Format.BlockAlign;

    /// <summary>Playing time written so far.</summary>
    public TimeSpan Duration => Format.GetDuration(_dataBytes);

    /// <summary>Appends interleaved PCM16 samples (a whole number of sample frames).</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (samples.Length % Format.Channels != 0)
        {
            throw new ArgumentException($"{samples.Length} samples do not divide into {Format.Channels} channels.", nameof(samples));
        }

        int count = Encode(samples.Span);
        await AppendAsync(count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends one stretch of a stereo file from separate channels, e.g. caller on the left and bot on the right.</summary>
    /// <remarks>A shorter channel is padded with silence, so an idle leg can pass an empty buffer and both stay time-aligned.</remarks>
    public async ValueTask WriteStereoAsync(ReadOnlyMemory<short> left, ReadOnlyMemory<short> right, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Format.Channels != 2)
        {
            throw new InvalidOperationException($"WriteStereoAsync needs a stereo writer; this one has {Format.Channels} channel(s).");
        }

        int count = Encode(Interleave(left.Span, right.Span));
        await AppendAsync(count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Patches the header to cover everything written so far and flushes, so the file is valid if the process dies.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await PatchAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Patches the sizes, flushes and (unless left open) closes the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await PatchAsync(CancellationToken.None).ConfigureAwait(false);
            await _stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Patches the sizes, flushes and (unless left open) closes the stream, blocking on the I/O.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            long end = PrepareHeader();
            _stream.Position = _origin;
            _stream.Write(_header);
            WritePadding(end);
            _stream.Flush();
        }
        finally
        {
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    private async ValueTask AppendAsync(int count, CancellationToken cancellationToken)
    {
        if (_dataBytes + count > WavHeader.GetMaxDataBytes(Format))
        {
            throw new InvalidOperationException($"A WAV file cannot hold more than 4 GiB; this recording has reached {Duration}.");
        }

        if (!_headerWritten)
        {
            await PatchAsync(cancellationToken).ConfigureAwait(false);
        }

        await _stream.WriteAsync(_encoded.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        _dataBytes += count;
    }

    private async ValueTask PatchAsync(CancellationToken cancellationToken)
    {
        long end = PrepareHeader();
        _stream.Position = _origin;
        await _stream.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
        if ((_dataBytes & 1) != 0)
        {
            _stream.Position = end;
            await _stream.WriteAsync(_pad, cancellationToken).ConfigureAwait(false);
        }

        _stream.Position = end;
    }

    // Returns where the audio data ends, which is where the next write goes.
    private long PrepareHeader()
    {
        WavHeader.Write(_header, Format, _dataBytes);
        _headerWritten = true;
        return _origin + _headerSize + _dataBytes;
    }

    // RIFF chunks are word-aligned; the pad byte after odd-sized data is overwritten by the next append.
    private void WritePadding(long end)
    {
        if ((_dataBytes & 1) != 0)
        {
            _stream.Position = end;
            _stream.Write(_pad);
        }

        _stream.Position = end;
    }

    private int Encode(ReadOnlySpan<short> samples)
    {
        int needed = samples.Length * Format.BytesPerSample;
        if (_encoded.Length < needed)
        {
            _encoded = new byte[needed];
        }

        return WavHeader.EncodeSamples(Format, samples, _encoded);
    }

    private ReadOnlySpan<short> Interleave(ReadOnlySpan<short> left, ReadOnlySpan<short> right)
    {
        int frames = Math.Max(left.Length, right.Length);
        if (_interleaved.Length < frames * 2)
        {
            _interleaved = new short[frames * 2];
        }

        Span<short> interleaved = _interleaved.AsSpan(0, frames * 2);
        for (int i = 0; i < frames; i++)
        {
            interleaved[2 * i] = i < left.Length ? left[i] : (short)0;
            interleaved[2 * i + 1] = i < right.Length ? right[i] : (short)0;
        }

        return interleaved;
    }
}
