using System.Buffers.Binary;
using System.Text;

namespace Vox.MediaWorker.Tests.Audio;

/// <summary>Hand-assembles RIFF/WAVE files chunk by chunk, so tests can produce layouts our writer never would.</summary>
internal static class WavBytes
{
    /// <summary>A RIFF/WAVE file holding the chunks in order, each padded to an even length as RIFF requires.</summary>
    public static byte[] Riff(params (string Id, byte[] Body)[] chunks)
    {
        using var stream = new MemoryStream();
        stream.Write("RIFF"u8);
        stream.Write(new byte[4]);
        stream.Write("WAVE"u8);
        foreach ((string id, byte[] body) in chunks)
        {
            stream.Write(Encoding.ASCII.GetBytes(id));
            stream.Write(UInt32(body.Length));
            stream.Write(body);
            if (body.Length % 2 == 1)
            {
                stream.WriteByte(0);
            }
        }

        byte[] file = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        return file;
    }

    /// <summary>A classic WAVEFORMATEX body (16 bytes, or 18 with cbSize for non-PCM tags).</summary>
    public static byte[] Fmt(ushort tag, int channels, int sampleRate, int bitsPerSample, int? blockAlign = null)
    {
        var body = new byte[tag == 1 ? 16 : 18];
        int align = blockAlign ?? channels * bitsPerSample / 8;
        BinaryPrimitives.WriteUInt16LittleEndian(body, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), (uint)(sampleRate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(14), (ushort)bitsPerSample);
        return body;
    }

    /// <summary>A WAVE_FORMAT_EXTENSIBLE body whose sub-format GUID carries <paramref name="subFormatTag"/>.</summary>
    public static byte[] FmtExtensible(ushort subFormatTag, int channels, int sampleRate, int bitsPerSample, bool validGuid = true)
    {
        var body = new byte[40];
        Fmt(0xFFFE, channels, sampleRate, bitsPerSample).AsSpan(0, 16).CopyTo(body);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(18), (ushort)bitsPerSample);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(20), channels == 2 ? 3u : 4u);
        var guid = new Guid($"{subFormatTag:x8}-0000-0010-8000-00aa00389b71");
        guid.TryWriteBytes(body.AsSpan(24));
        if (!validGuid)
        {
            body[39] ^= 0xFF;
        }

        return body;
    }

    /// <summary>Little-endian PCM16 bytes.</summary>
    public static byte[] Pcm(params short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }

        return bytes;
    }

    /// <summary>A little-endian 32-bit value.</summary>
    public static byte[] UInt32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)value);
        return bytes;
    }
}
