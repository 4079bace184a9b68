using Vox.MediaWorker.Audio;
using Xunit.Abstractions;

namespace Vox.MediaWorker.Tests.Audio;

public sealed class MuLawCodecTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0x00, -32124)]
    [InlineData(0x80, 32124)]
    [InlineData(0xF0, 120)]
    [InlineData(0x70, -120)]
    [InlineData(0xEF, 132)]
    [InlineData(0xFE, 8)]
    public void DecodeSample_reference_code_gives_G711_value(int code, int expected)
    {
        Assert.Equal(expected, MuLawCodec.DecodeSample((byte)code));
    }

    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(-1, 0x7F)]
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    [InlineData(120, 0xF0)]
    [InlineData(-124, 0x70)]
    [InlineData(8, 0xFE)]
    public void EncodeSample_reference_value_gives_G711_code(int sample, int expected)
    {
        Assert.Equal(expected, MuLawCodec.EncodeSample((short)sample));
    }

    [Fact]
    public void DecodeSample_every_code_matches_the_G711_expansion_formula()
    {
        for (int code = 0; code < 256; code++)
        {
            int inverted = ~code & 0xFF;
            int segment = (inverted >> 4) & 7;
            int magnitude = ((((inverted & 0x0F) << 3) + 0x84) << segment) - 0x84;
            int expected = (inverted & 0x80) != 0 ? -magnitude : magnitude;
            Assert.Equal(expected, MuLawCodec.DecodeSample((byte)code));
        }
    }

    [Fact]
    public void EncodeSample_of_each_decoded_code_gives_the_code_back()
    {
        for (int code = 0; code < 256; code++)
        {
            // 0x7F is negative zero; it decodes to 0, which encodes as positive zero.
            int expected = code == 0x7F ? 0xFF : code;
            Assert.Equal(expected, MuLawCodec.EncodeSample(MuLawCodec.DecodeSample((byte)code)));
        }
    }

    [Fact]
    public void RoundTrip_every_pcm16_value_stays_within_half_a_segment_step()
    {
        int previous = int.MinValue;
        for (int sample = short.MinValue; sample <= short.MaxValue; sample++)
        {
            byte code = MuLawCodec.EncodeSample((short)sample);
            int decoded = MuLawCodec.DecodeSample(code);
            int magnitude = sample < 0 ? ~sample : sample;

            if (magnitude > 32635)
            {
                // Beyond the mu-law range the codec saturates at the largest code.
                Assert.Equal(sample < 0 ? -32124 : 32124, decoded);
            }
            else
            {
                int segment = (~code >> 4) & 7;
                int halfStep = 4 << segment;
                Assert.True(Math.Abs(decoded - sample) <= halfStep, $"{sample} -> 0x{code:X2} -> {decoded}, beyond {halfStep}");
            }

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

        Assert.Equal(pcm.Length, MuLawCodec.Encode(pcm, codes));
        Assert.Equal(pcm.Length, MuLawCodec.Decode(codes, decoded));

        double snr = Signal.SnrDb(decoded, ideal);
        output.WriteLine($"mu-law 1 kHz sine, amplitude {amplitude}: SNR {snr:F2} dB");
        Assert.True(snr > 35, $"SNR {snr:F2} dB");
    }

    [Fact]
    public void Encode_destination_too_short_throws()
    {
        Assert.Throws<ArgumentException>(() => MuLawCodec.Encode(new short[160], new byte[159]));
        Assert.Throws<ArgumentException>(() => MuLawCodec.Decode(new byte[160], new short[159]));
    }

    [Fact]
    public void Silence_decodes_to_zero()
    {
        Assert.Equal(0, MuLawCodec.DecodeSample(MuLawCodec.Silence));
    }
}
