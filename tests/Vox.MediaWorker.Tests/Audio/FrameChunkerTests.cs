using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Tests.Audio;

public sealed class FrameChunkerTests
{
    [Fact]
    public void TryReadFrame_arbitrary_chunks_come_out_as_exact_frames_in_order()
    {
        var chunker = new FrameChunker(AudioFormat.Pcm16Mono(8000));
        byte[] stream = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();
        var frames = new List<byte>();
        var frame = new byte[320];

        int offset = 0;
        foreach (int size in new[] { 1, 100, 319, 500, 7, 0, 641, 1, 1431 })
        {
            chunker.Write(stream.AsSpan(offset, size));
            offset += size;
            while (chunker.TryReadFrame(frame))
            {
                frames.AddRange(frame);
            }
        }

        Assert.Equal(3000, offset);
        Assert.Equal(stream[..(9 * 320)], frames.ToArray());
        Assert.Equal(3000 - 9 * 320, chunker.BufferedBytes);
    }

    [Theory]
    [InlineData(AudioEncoding.Pcm16, 0x00)]
    [InlineData(AudioEncoding.MuLaw, 0xFF)]
    [InlineData(AudioEncoding.ALaw, 0xD5)]
    public void TryFlush_partial_frame_is_padded_with_the_encoding_silence(AudioEncoding encoding, int silence)
    {
        var chunker = new FrameChunker(new AudioFormat(encoding, 8000));
        var frame = new byte[chunker.FrameBytes];
        chunker.Write([1, 2, 3]);

        Assert.False(chunker.TryReadFrame(frame));
        Assert.True(chunker.TryFlush(frame));

        Assert.Equal(new byte[] { 1, 2, 3 }, frame[..3]);
        Assert.All(frame[3..], b => Assert.Equal(silence, b));
        Assert.Equal(0, chunker.BufferedBytes);
        Assert.False(chunker.TryFlush(frame));
    }

    [Fact]
    public void Write_many_frames_at_once_grows_and_keeps_them_all()
    {
        var chunker = new FrameChunker(AudioFormat.Pcm16Mono(16000));
        byte[] burst = Enumerable.Range(0, 640 * 10 + 5).Select(i => (byte)i).ToArray();
        var frame = new byte[640];

        chunker.Write(burst);

        Assert.Equal(10, chunker.FramesAvailable);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(chunker.TryReadFrame(frame));
            Assert.Equal(burst[(i * 640)..((i + 1) * 640)], frame);
        }

        Assert.Equal(5, chunker.BufferedBytes);
    }

    [Fact]
    public void Clear_drops_buffered_audio()
    {
        var chunker = new FrameChunker(AudioFormat.MuLaw8kMono);
        chunker.Write(new byte[250]);

        chunker.Clear();

        Assert.Equal(0, chunker.BufferedBytes);
        Assert.False(chunker.TryFlush(new byte[160]));
    }

    [Fact]
    public void TryReadFrame_buffer_smaller_than_a_frame_throws()
    {
        var chunker = new FrameChunker(AudioFormat.Pcm16Mono(8000));

        Assert.Throws<ArgumentException>(() => chunker.TryReadFrame(new byte[319]));
    }
}
