using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Tests.Audio;

public sealed class Pcm16Tests
{
    [Fact]
    public void BytesToSamples_little_endian_bytes_give_samples()
    {
        byte[] bytes = [0x34, 0x12, 0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F];
        var samples = new short[4];

        Assert.Equal(4, Pcm16.BytesToSamples(bytes, samples));
        Assert.Equal(new short[] { 0x1234, -1, short.MinValue, short.MaxValue }, samples);
    }

    [Fact]
    public void SamplesToBytes_samples_give_little_endian_bytes()
    {
        short[] samples = [0x1234, -1, short.MinValue, short.MaxValue];
        var bytes = new byte[8];

        Assert.Equal(8, Pcm16.SamplesToBytes(samples, bytes));
        Assert.Equal(new byte[] { 0x34, 0x12, 0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F }, bytes);
    }

    [Fact]
    public void BytesToSamples_odd_byte_count_throws()
    {
        Assert.Throws<ArgumentException>(() => Pcm16.BytesToSamples(new byte[3], new short[2]));
    }

    [Fact]
    public void Conversions_short_destination_throws()
    {
        Assert.Throws<ArgumentException>(() => Pcm16.BytesToSamples(new byte[320], new short[159]));
        Assert.Throws<ArgumentException>(() => Pcm16.SamplesToBytes(new short[160], new byte[319]));
    }

    [Fact]
    public void Dbfs_full_scale_square_is_0dBFS_and_sine_is_minus_3dB()
    {
        var square = new short[160];
        for (int i = 0; i < square.Length; i++)
        {
            square[i] = i % 2 == 0 ? short.MaxValue : short.MinValue;
        }

        short[] sine = Signal.SinePcm(8000, 1000, 32767, 160);

        Assert.Equal(0, Pcm16.Dbfs(square), 3);
        Assert.Equal(-3.01, Pcm16.Dbfs(sine), 2);
    }

    [Fact]
    public void Dbfs_half_amplitude_is_6dB_lower()
    {
        short[] loud = Signal.SinePcm(16000, 440, 20000, 320);
        short[] quiet = Signal.SinePcm(16000, 440, 10000, 320);

        Assert.Equal(-6.02, Pcm16.Dbfs(quiet) - Pcm16.Dbfs(loud), 2);
    }

    [Fact]
    public void Dbfs_digital_silence_is_negative_infinity()
    {
        Assert.Equal(double.NegativeInfinity, Pcm16.Dbfs(new short[160]));
        Assert.Equal(0, Pcm16.Rms(ReadOnlySpan<short>.Empty));
    }

    [Fact]
    public void Rms_of_bytes_equals_rms_of_samples()
    {
        short[] samples = Signal.SinePcm(8000, 300, 12345, 160);
        var bytes = new byte[320];
        Pcm16.SamplesToBytes(samples, bytes);

        Assert.Equal(Pcm16.Rms(samples), Pcm16.Rms(bytes), 10);
        Assert.Equal(Pcm16.Dbfs(samples), Pcm16.Dbfs(bytes), 10);
        Assert.Equal(12345 / Math.Sqrt(2), Pcm16.Rms(samples), 0);
    }

    [Theory]
    [InlineData(8000, 20, 160, 320)]
    [InlineData(16000, 20, 320, 640)]
    [InlineData(24000, 20, 480, 960)]
    [InlineData(48000, 20, 960, 1920)]
    [InlineData(44100, 20, 882, 1764)]
    [InlineData(8000, 10, 80, 160)]
    public void FrameSize_rate_and_duration_give_samples_and_bytes(int sampleRate, int milliseconds, int samples, int bytes)
    {
        TimeSpan duration = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(samples, Pcm16.SamplesPerFrame(sampleRate, duration));
        Assert.Equal(bytes, Pcm16.BytesPerFrame(sampleRate, duration));
        Assert.Equal(bytes * 2, Pcm16.BytesPerFrame(sampleRate, duration, channels: 2));
    }

    [Fact]
    public void SamplesPerFrame_fractional_sample_count_throws()
    {
        Assert.Throws<ArgumentException>(() => Pcm16.SamplesPerFrame(11025, TimeSpan.FromMilliseconds(1)));
    }
}
