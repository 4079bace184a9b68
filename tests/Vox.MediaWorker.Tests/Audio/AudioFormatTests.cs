using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Tests.Audio;

public sealed class AudioFormatTests
{
    [Fact]
    public void BytesPerFrame_telephony_formats_give_20ms_sizes()
    {
        Assert.Equal(160, AudioFormat.MuLaw8kMono.BytesPerFrame);
        Assert.Equal(160, AudioFormat.ALaw8kMono.BytesPerFrame);
        Assert.Equal(320, AudioFormat.Pcm16Mono(8000).BytesPerFrame);
        Assert.Equal(640, AudioFormat.Pcm16Mono(16000).BytesPerFrame);
        Assert.Equal(1280, new AudioFormat(AudioEncoding.Pcm16, 16000, 2).BytesPerFrame);
        Assert.Equal(160, AudioFormat.MuLaw8kMono.SamplesPerFrame);
    }

    [Fact]
    public void SilenceByte_each_encoding_gives_its_zero_code()
    {
        Assert.Equal(0xFF, AudioFormat.MuLaw8kMono.SilenceByte);
        Assert.Equal(0xD5, AudioFormat.ALaw8kMono.SilenceByte);
        Assert.Equal(0, AudioFormat.Pcm16Mono(16000).SilenceByte);
    }

    [Fact]
    public void GetByteCount_and_GetDuration_are_inverse()
    {
        var format = new AudioFormat(AudioEncoding.Pcm16, 16000, 2);

        Assert.Equal(64000, format.BytesPerSecond);
        Assert.Equal(6400, format.GetByteCount(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TimeSpan.FromMilliseconds(100), format.GetDuration(6400));
    }

    [Fact]
    public void Constructor_invalid_values_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioFormat(AudioEncoding.Pcm16, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioFormat(AudioEncoding.Pcm16, 8000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioFormat((AudioEncoding)42, 8000));
    }

    [Fact]
    public void Equality_same_values_are_equal()
    {
        Assert.Equal(AudioFormat.Pcm16Mono(8000), new AudioFormat(AudioEncoding.Pcm16, 8000, 1));
        Assert.NotEqual(AudioFormat.MuLaw8kMono, AudioFormat.ALaw8kMono);
    }
}
