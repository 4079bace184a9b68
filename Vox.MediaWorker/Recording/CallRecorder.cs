using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Recording;

/// <summary>
/// Records a call as one stereo WAV (caller left, bot right), aligned on the call clock: each side is written to its
/// own temporary track at the position its audio happened, with silence in the gaps, and the two are interleaved at the end.
/// Memory stays flat however long the call is.
/// </summary>
public sealed class CallRecorder : IAsyncDisposable
{
    private readonly Track _caller;
    private readonly Track _bot;
    private readonly int _sampleRate;
    private readonly string _folder;

    /// <summary>Starts a recording in <paramref name="folder"/> at <paramref name="sampleRate"/>.</summary>
    public CallRecorder(string folder, int sampleRate)
    {
        Directory.CreateDirectory(folder);
        _folder = folder;
        _sampleRate = sampleRate;
        _caller = new Track(Path.Combine(folder, "caller.pcm"));
        _bot = new Track(Path.Combine(folder, "bot.pcm"));
    }

    /// <summary>Adds caller audio that ended at call time <paramref name="endsAt"/>.</summary>
    public void WriteCaller(ReadOnlyMemory<short> samples, TimeSpan endsAt) => _caller.Write(samples.Span, Position(endsAt, samples.Length));

    /// <summary>Adds bot audio that started at call time <paramref name="startsAt"/>.</summary>
    public void WriteBot(ReadOnlyMemory<short> samples, TimeSpan startsAt) => _bot.Write(samples.Span, Position(startsAt, 0));

    /// <summary>Writes the stereo WAV to <paramref name="path"/> and returns its duration.</summary>
    public async Task<TimeSpan> CompleteAsync(string path, CancellationToken cancellationToken)
    {
        _caller.Flush();
        _bot.Flush();
        var format = new AudioFormat(AudioEncoding.Pcm16, _sampleRate, 2);
        await using var writer = WavWriter.Create(path, format);
        await using var left = File.OpenRead(_caller.Path);
        await using var right = File.OpenRead(_bot.Path);
        var l = new byte[_sampleRate * 2];
        var r = new byte[_sampleRate * 2];
        var ls = new short[_sampleRate];
        var rs = new short[_sampleRate];
        while (true)
        {
            var ln = await ReadFullAsync(left, l, cancellationToken);
            var rn = await ReadFullAsync(right, r, cancellationToken);
            if (ln == 0 && rn == 0)
            {
                break;
            }

            var n = Math.Max(ln, rn) / 2;
            Array.Clear(ls);
            Array.Clear(rs);
            Pcm16.BytesToSamples(l.AsSpan(0, ln & ~1), ls);
            Pcm16.BytesToSamples(r.AsSpan(0, rn & ~1), rs);
            await writer.WriteStereoAsync(ls.AsMemory(0, n), rs.AsMemory(0, n), cancellationToken);
        }

        return writer.Duration;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _caller.Dispose();
        _bot.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the worker's temp area.
        }

        return ValueTask.CompletedTask;
    }

    private long Position(TimeSpan at, int lengthBefore) => Math.Max(0, (long)Math.Round(at.TotalSeconds * _sampleRate) - lengthBefore);

    private static async Task<int> ReadFullAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>One side's samples on disk; writes land at their time position, gaps are silence.</summary>
    private sealed class Track(string path) : IDisposable
    {
        private readonly FileStream _file = new(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        private readonly Lock _gate = new();
        private byte[] _bytes = new byte[1920];
        private long _length;

        public string Path => path;

        public void Write(ReadOnlySpan<short> samples, long position)
        {
            lock (_gate)
            {
                if (position > _length)
                {
                    // Silence until this audio; zeros written explicitly keep the file dense and simple.
                    Span<byte> zeros = stackalloc byte[4096];
                    zeros.Clear();
                    var gap = (position - _length) * 2;
                    while (gap > 0)
                    {
                        var n = (int)Math.Min(gap, zeros.Length);
                        _file.Write(zeros[..n]);
                        gap -= n;
                    }

                    _length = position;
                }

                // Reused: a frame is written every 20 ms for the whole call.
                if (_bytes.Length < samples.Length * 2)
                {
                    _bytes = new byte[samples.Length * 2];
                }

                var bytes = _bytes.AsSpan(0, samples.Length * 2);
                Pcm16.SamplesToBytes(samples, bytes);
                _file.Write(bytes);
                _length += samples.Length;
            }
        }

        public void Flush()
        {
            lock (_gate)
            {
                _file.Flush();
            }
        }

        public void Dispose() => _file.Dispose();
    }
}
