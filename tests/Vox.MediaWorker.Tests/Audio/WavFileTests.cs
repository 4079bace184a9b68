using System.Buffers.Binary;
using Vox.MediaWorker.Audio;
using Vox.Testing;

namespace Vox.MediaWorker.Tests.Audio;

public sealed class WavFileTests
{
    public static TheoryData<string, int, int> ManifestFiles()
    {
        var data = new TheoryData<string, int, int>();
        foreach ((string file, int totalMs, int sampleRate) in FixtureFiles.ManifestFiles())
        {
            data.Add(file, totalMs, sampleRate);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public async Task ReadAsync_manifest_fixture_has_its_rate_channels_and_duration(string file, int totalMs, int sampleRate)
    {
        WavAudio audio = await WavFile.ReadAsync(Path.Combine(FixtureFiles.AudioDirectory, file), CancellationToken.None);

        Assert.Equal(AudioEncoding.Pcm16, audio.SourceFormat.Encoding);
        Assert.Equal(sampleRate, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.InRange(audio.Duration.TotalMilliseconds, totalMs - 20, totalMs + 20);
    }

    [Theory]
    [InlineData("silence_5s_8k.wav", 8000)]
    [InlineData("silence_5s_16k.wav", 16000)]
    [InlineData("noise_5s_8k.wav", 8000)]
    [InlineData("noise_5s_16k.wav", 16000)]
    public async Task ReadAsync_five_second_fixture_lasts_five_seconds(string file, int sampleRate)
    {
        WavAudio audio = await WavFile.ReadAsync(Path.Combine(FixtureFiles.AudioDirectory, file), CancellationToken.None);

        Assert.Equal(sampleRate, audio.SampleRate);
        Assert.Equal(TimeSpan.FromSeconds(5), audio.Duration);
    }

    [Fact]
    public async Task ReadAsync_speech_fixture_is_louder_in_speech_than_in_its_leading_silence()
    {
        WavAudio audio = await WavFile.ReadAsync(Path.Combine(FixtureFiles.AudioDirectory, "utt00_16k.wav"), CancellationToken.None);
        ReadOnlySpan<short> samples = audio.Samples.Span;
        Manifest clip = Manifest.Load().Single(c => c.Id == "utt00");

        double lead = Pcm16.Dbfs(samples[..(clip.SpeechStartMs * 16)]);
        double speech = Pcm16.Dbfs(samples[(clip.SpeechStartMs * 16)..(clip.SpeechEndMs * 16)]);

        Assert.True(speech > lead + 20, $"speech {speech:F1} dBFS vs lead {lead:F1} dBFS");
    }

    [Theory]
    [InlineData(AudioEncoding.Pcm16, 1)]
    [InlineData(AudioEncoding.Pcm16, 2)]
    [InlineData(AudioEncoding.MuLaw, 1)]
    [InlineData(AudioEncoding.ALaw, 2)]
    public void ToBytes_then_Read_gives_the_samples_back(AudioEncoding encoding, int channels)
    {
        var format = new AudioFormat(encoding, 8000, channels);
        short[] samples = Signal.SinePcm(8000, 440, 12000, 801 * channels);

        WavAudio audio = WavFile.Read(WavFile.ToBytes(format, samples));

        Assert.Equal(format, audio.SourceFormat);
        Assert.Equal(801, audio.SampleFrames);
        Assert.Equal(Expected(encoding, samples), audio.Samples.ToArray());
    }

    [Fact]
    public void ToBytes_pcm16_mono_writes_the_canonical_44_byte_header()
    {
        byte[] file = WavFile.ToBytes(AudioFormat.Pcm16Mono(8000), [1, -1]);

        Assert.Equal(48, file.Length);
        Assert.Equal("RIFF"u8.ToArray(), file[..4]);
        Assert.Equal(40u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)));
        Assert.Equal("WAVEfmt "u8.ToArray(), file[8..16]);
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(20)));
        Assert.Equal(8000u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(24)));
        Assert.Equal(16000u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(28)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(32)));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(34)));
        Assert.Equal("data"u8.ToArray(), file[36..40]);
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(40)));
        Assert.Equal(new byte[] { 1, 0, 0xFF, 0xFF }, file[44..]);
    }

    [Fact]
    public void ToBytes_odd_length_g711_data_is_padded_to_an_even_chunk()
    {
        byte[] file = WavFile.ToBytes(AudioFormat.MuLaw8kMono, [0, 0, 0]);

        Assert.Equal(58 + 3 + 1, file.Length);
        Assert.Equal((uint)(file.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(54)));
        Assert.Equal(3, WavFile.Read(file).SampleFrames);
    }

    [Fact]
    public void Read_list_chunk_and_odd_sized_chunk_before_data_are_skipped()
    {
        byte[] file = WavBytes.Riff(
            ("fmt ", WavBytes.Fmt(1, 1, 16000, 16)),
            ("LIST", "INFOISFT\u0005\0\0\0vox\0\0\0"u8.ToArray()),
            ("junk", [1, 2, 3]),
            ("data", WavBytes.Pcm(100, -200, 300)));

        WavAudio audio = WavFile.Read(file);

        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(new short[] { 100, -200, 300 }, audio.Samples.ToArray());
    }

    [Fact]
    public void Read_extensible_pcm_stereo_gives_interleaved_channels()
    {
        byte[] file = WavBytes.Riff(
            ("fmt ", WavBytes.FmtExtensible(1, 2, 48000, 16)),
            ("data", WavBytes.Pcm(1, -1, 2, -2, 3, -3)));

        WavAudio audio = WavFile.Read(file);
        var left = new short[3];
        var right = new short[3];
        audio.CopyChannel(0, left);
        audio.CopyChannel(1, right);

        Assert.Equal(new AudioFormat(AudioEncoding.Pcm16, 48000, 2), audio.SourceFormat);
        Assert.Equal(new short[] { 1, 2, 3 }, left);
        Assert.Equal(new short[] { -1, -2, -3 }, right);
    }

    [Fact]
    public void Read_extensible_mu_law_decodes_to_pcm16()
    {
        byte[] file = WavBytes.Riff(
            ("fmt ", WavBytes.FmtExtensible(7, 1, 8000, 8)),
            ("data", [0xFF, 0x00, 0x80]));

        WavAudio audio = WavFile.Read(file);

        Assert.Equal(AudioEncoding.MuLaw, audio.SourceFormat.Encoding);
        Assert.Equal(new short[] { 0, -32124, 32124 }, audio.Samples.ToArray());
    }

    [Theory]
    [InlineData(6, new short[] { 8, -8 })]
    [InlineData(7, new short[] { 716, -716 })]
    public void Read_g711_format_tag_decodes_to_pcm16(int tag, short[] expected)
    {
        byte[] file = WavBytes.Riff(
            ("fmt ", WavBytes.Fmt((ushort)tag, 1, 8000, 8)),
            ("fact", WavBytes.UInt32(2)),
            ("data", [0xD5, 0x55]));

        Assert.Equal(expected, WavFile.Read(file).Samples.ToArray());
    }

    [Fact]
    public void Read_trailing_bytes_after_the_riff_chunk_are_ignored()
    {
        byte[] wav = WavFile.ToBytes(AudioFormat.Pcm16Mono(8000), [5, 6]);
        byte[] file = [.. wav, .. "TAG id3 trailer"u8.ToArray()];

        Assert.Equal(new short[] { 5, 6 }, WavFile.Read(file).Samples.ToArray());
    }

    [Fact]
    public void Read_unknown_data_size_reads_to_end_of_file()
    {
        byte[] file = WavFile.ToBytes(AudioFormat.Pcm16Mono(8000), [5, 6, 7]);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(40), uint.MaxValue);

        Assert.Equal(new short[] { 5, 6, 7 }, WavFile.Read(file).Samples.ToArray());
    }

    [Fact]
    public void Read_partial_trailing_sample_frame_is_dropped()
    {
        byte[] file = WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 2, 8000, 16)), ("data", [1, 0, 2, 0, 3, 0]));

        Assert.Equal(new short[] { 1, 2 }, WavFile.Read(file).Samples.ToArray());
    }

    public static TheoryData<string, byte[], string> MalformedFiles()
    {
        byte[] valid = WavFile.ToBytes(AudioFormat.Pcm16Mono(8000), [1, 2, 3, 4]);
        byte[] WithBytes(int offset, params byte[] bytes)
        {
            byte[] copy = (byte[])valid.Clone();
            bytes.CopyTo(copy, offset);
            return copy;
        }

        return new TheoryData<string, byte[], string>
        {
            { "empty", [], "Truncated WAV header" },
            { "truncated header", valid[..11], "Truncated WAV header" },
            { "wrong magic", WithBytes(0, "RIFX"u8.ToArray()), "expected 'RIFF'" },
            { "rf64", WithBytes(0, "RF64"u8.ToArray()), "RF64" },
            { "not wave", WithBytes(8, "AVI "u8.ToArray()), "expected 'WAVE'" },
            { "data size beyond file", WithBytes(40, WavBytes.UInt32(1000)), "declares 1000 bytes but only 8 remain" },
            { "truncated data", valid[..46], "declares 8 bytes but only 2 remain" },
            { "ieee float", WavBytes.Riff(("fmt ", WavBytes.Fmt(3, 1, 8000, 32)), ("data", new byte[8])), "0x0003 (IEEE float)" },
            { "8-bit pcm", WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 8000, 8)), ("data", new byte[8])), "8-bit Pcm16" },
            { "24-bit mu-law", WavBytes.Riff(("fmt ", WavBytes.Fmt(7, 1, 8000, 24)), ("data", new byte[8])), "24-bit MuLaw" },
            { "three channels", WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 3, 8000, 16)), ("data", new byte[12])), "channel count 3" },
            { "zero rate", WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 0, 16)), ("data", new byte[8])), "sample rate 0" },
            { "bad block align", WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 8000, 16, blockAlign: 4)), ("data", new byte[8])), "block align is 4" },
            { "short fmt", WavBytes.Riff(("fmt ", new byte[14]), ("data", new byte[8])), "at least 16" },
            { "short extensible", WavBytes.Riff(("fmt ", WavBytes.Fmt(0xFFFE, 1, 8000, 16)), ("data", new byte[8])), "WAVE_FORMAT_EXTENSIBLE" },
            { "float extensible", WavBytes.Riff(("fmt ", WavBytes.FmtExtensible(3, 1, 8000, 32)), ("data", new byte[8])), "0x0003" },
            { "foreign sub-format", WavBytes.Riff(("fmt ", WavBytes.FmtExtensible(1, 1, 8000, 16, validGuid: false)), ("data", new byte[8])), "sub-format" },
            { "data before fmt", WavBytes.Riff(("data", new byte[8]), ("fmt ", WavBytes.Fmt(1, 1, 8000, 16))), "before any 'fmt '" },
            { "no fmt", WavBytes.Riff(("LIST", new byte[4])), "no 'fmt '" },
            { "no data", WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 8000, 16))), "no 'data'" },
            { "chunk beyond file", WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 8000, 16)), ("LIST", new byte[4]))[..^2], "'LIST' chunk" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Read_malformed_file_throws_InvalidDataException_naming_the_problem(string description, byte[] file, string message)
    {
        var exception = Assert.Throws<InvalidDataException>(() => WavFile.Read(file));

        Assert.True(exception.Message.Contains(message, StringComparison.Ordinal), $"{description}: '{exception.Message}' lacks '{message}'");
    }

    [Fact]
    public async Task WriteAsync_then_ReadAsync_round_trips_through_disk()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vox-wav-{Guid.NewGuid():N}.wav");
        try
        {
            short[] samples = Signal.SinePcm(16000, 1000, 8000, 1600);
            await WavFile.WriteAsync(path, AudioFormat.Pcm16Mono(16000), samples, CancellationToken.None);

            WavAudio audio = await WavFile.ReadAsync(path, CancellationToken.None);

            Assert.Equal(samples, audio.Samples.ToArray());
            Assert.Equal(TimeSpan.FromMilliseconds(100), audio.Duration);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_stream_reads_from_the_current_position()
    {
        using var stream = new MemoryStream();
        stream.Write("prefix"u8);
        stream.Write(WavFile.ToBytes(AudioFormat.ALaw8kMono, [100, 200]));
        stream.Position = 6;

        WavAudio audio = await WavFile.ReadAsync(stream, CancellationToken.None);

        Assert.Equal(2, audio.SampleFrames);
        Assert.Equal(AudioEncoding.ALaw, audio.SourceFormat.Encoding);
    }

    [Fact]
    public void ToBytes_samples_not_divisible_by_channels_throws()
    {
        Assert.Throws<ArgumentException>(() => WavFile.ToBytes(new AudioFormat(AudioEncoding.Pcm16, 8000, 2), [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => WavFile.ToBytes(new AudioFormat(AudioEncoding.Pcm16, 8000, 3), [1, 2, 3]));
    }

    private static short[] Expected(AudioEncoding encoding, short[] samples) => encoding switch
    {
        AudioEncoding.MuLaw => Array.ConvertAll(samples, s => MuLawCodec.DecodeSample(MuLawCodec.EncodeSample(s))),
        AudioEncoding.ALaw => Array.ConvertAll(samples, s => ALawCodec.DecodeSample(ALawCodec.EncodeSample(s))),
        _ => samples,
    };
}
