namespace Vox.MediaWorker.Audio;

/// <summary>Encoding, sample rate and channel count of an audio stream, with frame-size arithmetic for the 20 ms media clock.</summary>
public readonly record struct AudioFormat
{
    /// <summary>The media worker's frame duration; telephony (RTP ptime) and most vendor sockets use 20 ms.</summary>
    public static TimeSpan FrameDuration => TimeSpan.FromMilliseconds(20);

    /// <summary>Creates a format, rejecting values no codec or WAV file can carry.</summary>
    public AudioFormat(AudioEncoding encoding, int sampleRate, int channels = 1)
    {
        if (!Enum.IsDefined(encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown audio encoding.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Encoding = encoding;
        SampleRate = sampleRate;
        Channels = channels;
    }

    /// <summary>8 kHz mono mu-law, the default of North American SIP trunks and Twilio media streams.</summary>
    public static AudioFormat MuLaw8kMono => new(AudioEncoding.MuLaw, 8000);

    /// <summary>8 kHz mono A-law, the default of European SIP trunks.</summary>
    public static AudioFormat ALaw8kMono => new(AudioEncoding.ALaw, 8000);

    /// <summary>Mono 16-bit PCM at the given rate.</summary>
    public static AudioFormat Pcm16Mono(int sampleRate) => new(AudioEncoding.Pcm16, sampleRate);

    /// <summary>Sample coding.</summary>
    public AudioEncoding Encoding { get; }

    /// <summary>Samples per second per channel.</summary>
    public int SampleRate { get; }

    /// <summary>Interleaved channel count.</summary>
    public int Channels { get; }

    /// <summary>Bytes of one sample of one channel.</summary>
    public int BytesPerSample => Encoding == AudioEncoding.Pcm16 ? 2 : 1;

    /// <summary>Bytes of one sample across all channels (the WAV block align).</summary>
    public int BlockAlign => BytesPerSample * Channels;

    /// <summary>Bytes per second of audio.</summary>
    public int BytesPerSecond => BlockAlign * SampleRate;

    /// <summary>Samples per channel in one 20 ms frame (160 at 8 kHz).</summary>
    public int SamplesPerFrame => Pcm16.SamplesPerFrame(SampleRate, FrameDuration);

    /// <summary>Bytes in one 20 ms frame (320 for 8 kHz mono PCM16, 160 for 8 kHz mu-law).</summary>
    public int BytesPerFrame => SamplesPerFrame * BlockAlign;

    /// <summary>The byte value that decodes to silence, used to pad partial frames.</summary>
    public byte SilenceByte => Encoding switch
    {
        AudioEncoding.MuLaw => MuLawCodec.Silence,
        AudioEncoding.ALaw => ALawCodec.Silence,
        _ => 0,
    };

    /// <summary>Bytes needed for <paramref name="duration"/> of audio; throws when it is not a whole number of samples.</summary>
    public int GetByteCount(TimeSpan duration) => Pcm16.SamplesPerFrame(SampleRate, duration) * BlockAlign;

    /// <summary>Playing time of <paramref name="byteCount"/> bytes of this format.</summary>
    public TimeSpan GetDuration(long byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        return TimeSpan.FromTicks(byteCount / BlockAlign * TimeSpan.TicksPerSecond / SampleRate);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Encoding} {SampleRate} Hz x{Channels}";
}
