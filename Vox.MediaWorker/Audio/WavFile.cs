using System.Buffers.Binary;

namespace Vox.MediaWorker.Audio;

/// <summary>Reads and writes whole RIFF/WAVE files: PCM16 and G.711 (A-law, mu-law), mono or stereo.</summary>
/// <remarks>
/// Reading walks the chunk list, so LIST/fact/cue chunks before the data and odd-sized chunks (padded to an even
/// length, as RIFF requires) are handled, as is WAVE_FORMAT_EXTENSIBLE with a PCM or G.711 sub-format. G.711 is
/// decoded to PCM16. Malformed or unsupported files raise <see cref="InvalidDataException"/> saying what is wrong
/// and where. For long recordings use <see cref="WavWriter"/>, which streams to disk.
/// </remarks>
public static class WavFile
{
    private const int RiffHeaderSize = 12;
    private const int ChunkHeaderSize = 8;
    private const int MinFmtSize = 16;
    private const int ExtensibleFmtSize = 40;

    // Streaming writers that never learn the final length (pipes, ffmpeg to stdout) put this in the data size.
    private const uint UnknownSize = uint.MaxValue;

    // Bytes 2..15 of KSDATAFORMAT_SUBTYPE_* GUIDs; bytes 0..1 are the classic format tag.
    private static ReadOnlySpan<byte> SubFormatGuidTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Parses a WAV file held in memory.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed WAV file in a supported format.</exception>
    public static WavAudio Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < RiffHeaderSize)
        {
            throw new InvalidDataException($"Truncated WAV header: the file is {file.Length} bytes, shorter than the {RiffHeaderSize}-byte RIFF header.");
        }

        if (file[..4].SequenceEqual("RF64"u8))
        {
            throw new InvalidDataException("RF64 (WAV over 4 GiB) files are not supported.");
        }

        if (!file[..4].SequenceEqual("RIFF"u8))
        {
            throw new InvalidDataException($"Not a WAV file: expected 'RIFF' at offset 0 but found {Describe(file[..4])}.");
        }

        if (!file[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"Not a WAV file: expected 'WAVE' at offset 8 but found {Describe(file[8..12])}.");
        }

        // The RIFF size bounds the walk so trailing bytes (ID3 tags) are ignored, unless a writer died before
        // patching it (0, or more than the file holds), in which case the file length is the better bound.
        long riffEnd = ChunkHeaderSize + (long)BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        long end = riffEnd >= RiffHeaderSize && riffEnd <= file.Length ? riffEnd : file.Length;

        AudioFormat? format = null;
        long offset = RiffHeaderSize;
        while (offset + ChunkHeaderSize <= end)
        {
            ReadOnlySpan<byte> id = file.Slice((int)offset, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(file[(int)(offset + 4)..]);
            long body = offset + ChunkHeaderSize;
            long remaining = end - body;

            if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw new InvalidDataException($"The 'data' chunk at offset {offset} comes before any 'fmt ' chunk, so its format is unknown.");
                }

                // Checked against the file rather than the RIFF size: a stale RIFF size must not hide audio that is there.
                long inFile = file.Length - body;
                if (size == UnknownSize)
                {
                    size = (uint)inFile;
                }
                else if (size > inFile)
                {
                    throw new InvalidDataException(
                        $"The 'data' chunk at offset {offset} declares {size} bytes but only {inFile} remain in the file; it is truncated or its size is corrupt.");
                }

                return Decode(format.Value, file.Slice((int)body, (int)size));
            }

            if (size > remaining)
            {
                throw new InvalidDataException(
                    $"The '{Ascii(id)}' chunk at offset {offset} declares {size} bytes but only {remaining} remain in the file.");
            }

            if (id.SequenceEqual("fmt "u8))
            {
                format = ParseFormat(file.Slice((int)body, (int)size), body);
            }

            offset = body + size + (size & 1);
        }

        throw new InvalidDataException(format is null
            ? "The file has no 'fmt ' chunk."
            : "The file has a 'fmt ' chunk but no 'data' chunk.");
    }

    /// <summary>Reads and parses a WAV file from disk.</summary>
    public static async Task<WavAudio> ReadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] file = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Read(file);
    }

    /// <summary>Reads a WAV file from the current position of <paramref name="stream"/> to its end.</summary>
    public static async Task<WavAudio> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Builds a complete WAV file from interleaved PCM16 samples, stored in <paramref name="format"/>'s encoding.</summary>
    public static byte[] ToBytes(AudioFormat format, ReadOnlySpan<short> samples)
    {
        WavHeader.Validate(format, nameof(format));
        if (samples.Length % format.Channels != 0)
        {
            throw new ArgumentException($"{samples.Length} samples do not divide into {format.Channels} channels.", nameof(samples));
        }

        int headerSize = WavHeader.GetSize(format);
        long dataBytes = (long)samples.Length * format.BytesPerSample;
        if (dataBytes > Array.MaxLength - headerSize - 1)
        {
            throw new ArgumentException("The audio is too long to build in memory; stream it with WavWriter.", nameof(samples));
        }

        var file = new byte[headerSize + dataBytes + (dataBytes & 1)];
        WavHeader.Write(file, format, dataBytes);
        WavHeader.EncodeSamples(format, samples, file.AsSpan(headerSize));
        return file;
    }

    /// <summary>Writes interleaved PCM16 samples to a new WAV file at <paramref name="path"/>, replacing any existing file.</summary>
    public static Task WriteAsync(string path, AudioFormat format, ReadOnlyMemory<short> samples, CancellationToken cancellationToken) =>
        File.WriteAllBytesAsync(path, ToBytes(format, samples.Span), cancellationToken);

    private static AudioFormat ParseFormat(ReadOnlySpan<byte> fmt, long offset)
    {
        if (fmt.Length < MinFmtSize)
        {
            throw new InvalidDataException($"The 'fmt ' chunk at offset {offset} is {fmt.Length} bytes; at least {MinFmtSize} are required.");
        }

        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);

        if (tag == WavHeader.ExtensibleTag)
        {
            if (fmt.Length < ExtensibleFmtSize)
            {
                throw new InvalidDataException(
                    $"The WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk at offset {offset} is {fmt.Length} bytes; {ExtensibleFmtSize} are required.");
            }

            ReadOnlySpan<byte> subFormat = fmt.Slice(24, 16);
            if (!subFormat[2..].SequenceEqual(SubFormatGuidTail))
            {
                throw new InvalidDataException($"Unsupported WAVE_FORMAT_EXTENSIBLE sub-format {new Guid(subFormat)}; only PCM, A-law and mu-law are supported.");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(subFormat);
        }

        AudioEncoding encoding = tag switch
        {
            WavHeader.PcmTag => AudioEncoding.Pcm16,
            WavHeader.ALawTag => AudioEncoding.ALaw,
            WavHeader.MuLawTag => AudioEncoding.MuLaw,
            _ => throw new InvalidDataException(
                $"Unsupported WAV format tag 0x{tag:X4} ({DescribeTag(tag)}); supported are PCM (1), A-law (6) and mu-law (7), plain or in WAVE_FORMAT_EXTENSIBLE."),
        };

        int expectedBits = encoding == AudioEncoding.Pcm16 ? 16 : 8;
        if (bitsPerSample != expectedBits)
        {
            throw new InvalidDataException($"Unsupported {bitsPerSample}-bit {encoding}: only {expectedBits}-bit samples are supported for this format.");
        }

        if (channels is not (1 or 2))
        {
            throw new InvalidDataException($"Unsupported channel count {channels}: only mono and stereo are supported.");
        }

        if (sampleRate is 0 or > int.MaxValue)
        {
            throw new InvalidDataException($"Invalid sample rate {sampleRate} Hz in the 'fmt ' chunk at offset {offset}.");
        }

        var format = new AudioFormat(encoding, (int)sampleRate, channels);
        if (blockAlign != format.BlockAlign)
        {
            throw new InvalidDataException(
                $"Inconsistent 'fmt ' chunk at offset {offset}: block align is {blockAlign} but {channels} channel(s) of {bitsPerSample}-bit samples need {format.BlockAlign}.");
        }

        return format;
    }

    private static WavAudio Decode(AudioFormat format, ReadOnlySpan<byte> data)
    {
        // A partial trailing sample frame is what a writer cut off mid-write leaves; it carries no usable audio.
        int frames = data.Length / format.BlockAlign;
        var samples = new short[frames * format.Channels];
        ReadOnlySpan<byte> whole = data[..(frames * format.BlockAlign)];
        switch (format.Encoding)
        {
            case AudioEncoding.MuLaw:
                MuLawCodec.Decode(whole, samples);
                break;
            case AudioEncoding.ALaw:
                ALawCodec.Decode(whole, samples);
                break;
            default:
                Pcm16.BytesToSamples(whole, samples);
                break;
        }

        return new WavAudio(format, samples);
    }

    private static string DescribeTag(ushort tag) => tag switch
    {
        2 => "Microsoft ADPCM",
        3 => "IEEE float",
        0x11 => "IMA ADPCM",
        0x31 => "GSM 6.10",
        0x55 => "MPEG Layer 3",
        _ => "unknown",
    };

    private static string Describe(ReadOnlySpan<byte> magic) => $"'{Ascii(magic)}' (0x{Convert.ToHexString(magic)})";

    private static string Ascii(ReadOnlySpan<byte> id)
    {
        Span<char> chars = stackalloc char[id.Length];
        for (int i = 0; i < id.Length; i++)
        {
            chars[i] = id[i] is >= 0x20 and < 0x7F ? (char)id[i] : '?';
        }

        return new string(chars);
    }
}
