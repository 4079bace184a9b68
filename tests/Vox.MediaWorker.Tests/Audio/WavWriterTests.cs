using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Tests.Audio;

public sealed class WavWriterTests
{
    [Theory]
    [InlineData(AudioEncoding.Pcm16)]
    [InlineData(AudioEncoding.MuLaw)]
    [InlineData(AudioEncoding.ALaw)]
    public async Task DisposeAsync_after_streamed_frames_gives_the_same_file_as_ToBytes(AudioEncoding encoding)
    {
        var format = new AudioFormat(encoding, 8000);
        short[] samples = Signal.SinePcm(8000, 700, 10000, 160 * 7 + 3);
        using var stream = new MemoryStream();

        await using (var writer = new WavWriter(stream, format, leaveOpen: true))
        {
            for (int offset = 0; offset < samples.Length; offset += 160)
            {
                await writer.WriteAsync(samples.AsMemory(offset, Math.Min(160, samples.Length - offset)), CancellationToken.None);
            }

            Assert.Equal(samples.Length, writer.SampleFrames);
        }

        Assert.Equal(WavFile.ToBytes(format, samples), stream.ToArray());
    }

    [Fact]
    public async Task FlushAsync_mid_recording_leaves_a_valid_file_of_what_was_written()
    {
        var format = AudioFormat.MuLaw8kMono;
        short[] first = Signal.SinePcm(8000, 300, 9000, 161);
        short[] second = Signal.SinePcm(8000, 500, 9000, 160);
        using var stream = new MemoryStream();
        await using var writer = new WavWriter(stream, format, leaveOpen: true);

        await writer.WriteAsync(first, CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        byte[] snapshot = stream.ToArray();
        await writer.WriteAsync(second, CancellationToken.None);
        await writer.DisposeAsync();

        // The snapshot is what a crash right after the flush would leave on disk, pad byte included.
        Assert.Equal(WavFile.ToBytes(format, first), snapshot);
        Assert.Equal(WavFile.ToBytes(format, [.. first, .. second]), stream.ToArray());
    }

    [Fact]
    public async Task WriteStereoAsync_left_and_right_land_in_their_channels()
    {
        var format = new AudioFormat(AudioEncoding.Pcm16, 16000, 2);
        short[] caller = Signal.SinePcm(16000, 300, 9000, 320);
        short[] bot = Signal.SinePcm(16000, 800, 5000, 320);
        using var stream = new MemoryStream();

        await using (var writer = new WavWriter(stream, format, leaveOpen: true))
        {
            await writer.WriteStereoAsync(caller, bot, CancellationToken.None);
            await writer.WriteStereoAsync(caller.AsMemory(0, 160), ReadOnlyMemory<short>.Empty, CancellationToken.None);
            Assert.Equal(TimeSpan.FromMilliseconds(30), writer.Duration);
        }

        WavAudio audio = WavFile.Read(stream.ToArray());
        var left = new short[480];
        var right = new short[480];
        audio.CopyChannel(0, left);
        audio.CopyChannel(1, right);

        Assert.Equal(format, audio.SourceFormat);
        Assert.Equal([.. caller, .. caller[..160]], left);
        Assert.Equal([.. bot, .. new short[160]], right);
    }

    [Fact]
    public async Task WriteStereoAsync_g711_pads_the_idle_channel_with_silence()
    {
        var format = new AudioFormat(AudioEncoding.ALaw, 8000, 2);
        using var stream = new MemoryStream();

        await using (var writer = new WavWriter(stream, format, leaveOpen: true))
        {
            await writer.WriteStereoAsync(new short[] { 1000, 2000 }, ReadOnlyMemory<short>.Empty, CancellationToken.None);
        }

        byte[] file = stream.ToArray();
        Assert.Equal(new byte[] { ALawCodec.EncodeSample(1000), ALawCodec.Silence, ALawCodec.EncodeSample(2000), ALawCodec.Silence }, file[^4..]);
    }

    [Fact]
    public async Task Dispose_synchronous_gives_the_same_file_as_DisposeAsync()
    {
        short[] samples = Signal.SinePcm(8000, 700, 10000, 321);
        using var asyncStream = new MemoryStream();
        using var syncStream = new MemoryStream();

        await using (var writer = new WavWriter(asyncStream, AudioFormat.ALaw8kMono, leaveOpen: true))
        {
            await writer.WriteAsync(samples, CancellationToken.None);
        }

        using (var writer = new WavWriter(syncStream, AudioFormat.ALaw8kMono, leaveOpen: true))
        {
            await writer.WriteAsync(samples, CancellationToken.None);
        }

        Assert.Equal(asyncStream.ToArray(), syncStream.ToArray());
    }

    [Fact]
    public async Task DisposeAsync_without_audio_writes_an_empty_but_valid_file()
    {
        using var stream = new MemoryStream();

        await new WavWriter(stream, AudioFormat.Pcm16Mono(8000), leaveOpen: true).DisposeAsync();

        Assert.Equal(44, stream.Length);
        Assert.Equal(0, WavFile.Read(stream.ToArray()).SampleFrames);
    }

    [Fact]
    public async Task Create_writes_a_file_that_WavFile_reads_back()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vox-recording-{Guid.NewGuid():N}.wav");
        try
        {
            short[] samples = Signal.SinePcm(16000, 1000, 8000, 16000);
            await using (WavWriter writer = WavWriter.Create(path, AudioFormat.Pcm16Mono(16000)))
            {
                for (int offset = 0; offset < samples.Length; offset += 320)
                {
                    await writer.WriteAsync(samples.AsMemory(offset, 320), CancellationToken.None);
                }
            }

            WavAudio audio = await WavFile.ReadAsync(path, CancellationToken.None);

            Assert.Equal(TimeSpan.FromSeconds(1), audio.Duration);
            Assert.Equal(samples, audio.Samples.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task DisposeAsync_leaveOpen_false_closes_the_stream()
    {
        var stream = new MemoryStream();

        await new WavWriter(stream, AudioFormat.Pcm16Mono(8000)).DisposeAsync();

        Assert.False(stream.CanWrite);
    }

    [Fact]
    public void Constructor_unseekable_stream_throws()
    {
        using var stream = new ForwardOnlyStream();

        Assert.Throws<ArgumentException>(() => new WavWriter(stream, AudioFormat.Pcm16Mono(8000)));
    }

    [Fact]
    public void Constructor_more_than_two_channels_throws()
    {
        using var stream = new MemoryStream();

        Assert.Throws<ArgumentException>(() => new WavWriter(stream, new AudioFormat(AudioEncoding.Pcm16, 8000, 6)));
    }

    [Fact]
    public async Task WriteStereoAsync_on_mono_writer_throws()
    {
        using var stream = new MemoryStream();
        await using var writer = new WavWriter(stream, AudioFormat.Pcm16Mono(8000), leaveOpen: true);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.WriteStereoAsync(new short[2], new short[2], CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_samples_not_divisible_by_channels_throws()
    {
        using var stream = new MemoryStream();
        await using var writer = new WavWriter(stream, new AudioFormat(AudioEncoding.Pcm16, 8000, 2), leaveOpen: true);

        await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteAsync(new short[3], CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_after_dispose_throws()
    {
        using var stream = new MemoryStream();
        var writer = new WavWriter(stream, AudioFormat.Pcm16Mono(8000), leaveOpen: true);
        await writer.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await writer.WriteAsync(new short[2], CancellationToken.None));
    }

    private sealed class ForwardOnlyStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
