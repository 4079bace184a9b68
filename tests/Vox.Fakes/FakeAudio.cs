namespace Vox.Fakes;

/// <summary>Audio the TTS fakes speak: a tone per word, in the format the client asked for.</summary>
public static class FakeAudio
{
    /// <summary>Milliseconds of audio per word.</summary>
    public const int WordMs = 80;

    /// <summary>A tone of <paramref name="ms"/> at <paramref name="rate"/>, as PCM16 LE or mu-law bytes.</summary>
    public static byte[] Tone(int rate, int ms, bool muLaw, double frequency = 440)
    {
        var count = rate * ms / 1000;
        var bytes = new byte[muLaw ? count : count * 2];
        for (var i = 0; i < count; i++)
        {
            var sample = (short)(8000 * Math.Sin(2 * Math.PI * frequency * i / rate));
            if (muLaw)
            {
                bytes[i] = MuLaw(sample);
            }
            else
            {
                bytes[2 * i] = (byte)sample;
                bytes[2 * i + 1] = (byte)(sample >> 8);
            }
        }

        return bytes;
    }

    /// <summary>Parses an ElevenLabs <c>output_format</c> into (rate, mu-law).</summary>
    public static (int Rate, bool MuLaw) ParseFormat(string? format) => format switch
    {
        "ulaw_8000" => (8000, true),
        { } f when f.StartsWith("pcm_", StringComparison.Ordinal) && int.TryParse(f[4..], out var rate) => (rate, false),
        _ => (44100, false),
    };

    /// <summary>Root-mean-square level of PCM16 LE or mu-law bytes.</summary>
    public static double Rms(ReadOnlySpan<byte> audio, bool muLaw)
    {
        double sum = 0;
        var n = muLaw ? audio.Length : audio.Length / 2;
        for (var i = 0; i < n; i++)
        {
            double s = muLaw ? DecodeMuLaw(audio[i]) : (short)(audio[2 * i] | (audio[2 * i + 1] << 8));
            sum += s * s;
        }

        return n == 0 ? 0 : Math.Sqrt(sum / n);
    }

    private static byte MuLaw(short sample)
    {
        const int Bias = 0x84;
        var sign = sample < 0 ? 0x80 : 0;
        var magnitude = Math.Min(Math.Abs((int)sample), 32635) + Bias;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    private static short DecodeMuLaw(byte code)
    {
        code = (byte)~code;
        var sign = code & 0x80;
        var exponent = (code >> 4) & 0x07;
        var mantissa = code & 0x0F;
        var magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
        return (short)(sign != 0 ? -magnitude : magnitude);
    }
}
