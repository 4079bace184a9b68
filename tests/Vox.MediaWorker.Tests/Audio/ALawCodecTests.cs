using Vox.MediaWorker.Audio;
using Xunit.Abstractions;

namespace Vox.MediaWorker.Tests.Audio;

public sealed class ALawCodecTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    [InlineData(0x80, 5504)]
    [InlineData(0x00, -5504)]
    [InlineData(0xD4, 24)]
    [InlineData(0xC5, 264)]
    public void DecodeSample_reference_code_gives_G711_value(int code, int expected)
    {
        Assert.Equal(expected, ALawCodec.DecodeSample((byte)code));
    }

    [Theory]
    [InlineData(0, 0xD5)]
    [InlineData(-1, 0x55)]
    [InlineData(7, 0xD5)]
    [InlineData(16, 0xD4)]
    [InlineData(32767, 0xAA)]
    [InlineData(-32768, 0x2A)]
    public void EncodeSample_reference_value_gives_G711_code(int sample, int expected)
    {
        Assert.Equal(expected, ALawCodec.EncodeSample((short)sample));
    }

    [Fact]
    public void DecodeSample_every_code_matches_the_G711_expansion_formula()
    {
        for (int code = 0; code < 256; code++)
        {
            int value = code ^ 0x55;
            int segment = (value >> 4) & 7;
            int mantissa = value & 0x0F;

            // G.711 A-law reconstructs the 13-bit midpoint: segment 0 at 2m+1, segment s at (2m+33) << (s-1).
            int magnitude13 = segment == 0 ? 2 * mantissa + 1 : (2 * mantissa + 33) << (segment - 1);
            int expected = (value & 0x80) != 0 ? magnitude13 * 8 : -magnitude13 * 8;
            Assert.Equal(expected, ALawCodec.DecodeSample((byte)code));
        }
    }

    [Fact]
    public void EncodeSample_of_each_decoded_code_gives_the_code_back()
    {
        for (int code = 0; code < 256; code++)
        {
            Assert.Equal(code, ALawCodec.EncodeSample(ALawCodec.DecodeSample((byte)code)));
        }
    }

    [Fact]
    public void RoundTrip_every_pcm16_value_stays_within_half_a_segment_step()
    {
        int previous = int.MinValue;
        for (int sample = short.MinValue; sample <= short.MaxValue; sample++)
        {
            byte code = ALawCodec.EncodeSample((short)sample);
            int decoded = ALawCodec.DecodeSample(code);
            int segment = ((code ^ 0x55) >> 4) & 7;

            // Segments 0 and 1 both step by 16; each later segment doubles it.
            int halfStep = segment == 0 ? 8 : 4 << segment;
            Assert.True(Math.Abs(decoded - sample) <= halfStep, $"{sample} -> 0x{code:X2} -> {decoded}, beyond {halfStep}");
            Assert.True(decoded >= previous, $"Not monotonic at {sample}: {decoded} after {previous}");
            previous = decoded;
        }
    }

    [Theory]
    [InlineData(16384)]
    [InlineData(3000)]
    [InlineData(1000)]
    public void RoundTrip_1kHz_sine_has_snr_above_35dB(double amplitude)
    {
        double[] ideal = Signal.Sine(8000, 1000.3, amplitude, 8000);
        short[] pcm = Array.ConvertAll(ideal, v => (short)Math.Round(v));
        var codes = new byte[pcm.Length];
        var decoded = new short[pcm.Length];

        Assert.Equal(pcm.Length, ALawCodec.Encode(pcm, codes));
        Assert.Equal(pcm.Length, ALawCodec.Decode(codes, decoded));

        double snr = Signal.SnrDb(decoded, ideal);
        output.WriteLine($"A-law 1 kHz sine, amplitude {amplitude}: SNR {snr:F2} dB");
        Assert.True(snr > 35, $"SNR {snr:F2} dB");
    }

    [Fact]
    public void Encode_destination_too_short_throws()
    {
        Assert.Throws<ArgumentException>(() => ALawCodec.Encode(new short[160], new byte[159]));
        Assert.Throws<ArgumentException>(() => ALawCodec.Decode(new byte[160], new short[159]));
    }

    [Fact]
    public void Silence_decodes_to_the_smallest_positive_level()
    {
        Assert.Equal(8, ALawCodec.DecodeSample(ALawCodec.Silence));
    }
}
