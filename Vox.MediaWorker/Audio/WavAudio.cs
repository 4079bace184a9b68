namespace Vox.MediaWorker.Audio;

/// <summary>Decoded contents of a WAV file: interleaved PCM16 samples and the format the file stored them in.</summary>
/// <param name="SourceFormat">The file's own format; G.711 files are decoded, so <see cref="Samples"/> is always PCM16.</param>
/// <param name="Samples">Interleaved PCM16 samples (left, right, left, ... for stereo).</param>
public sealed record WavAudio(AudioFormat SourceFormat, ReadOnlyMemory<short> Samples)
{
    /// <summary>Samples per second per channel.</summary>
    public int SampleRate => SourceFormat.SampleRate;

    /// <summary>Channel count (1 or 2).</summary>
    public int Channels => SourceFormat.Channels;

    /// <summary>The format of <see cref="Samples"/>: PCM16 at the file's rate and channel count.</summary>
    public AudioFormat Format => new(AudioEncoding.Pcm16, SampleRate, Channels);

    /// <summary>Samples per channel.</summary>
    public int SampleFrames => Samples.Length / Channels;

    /// <summary>Playing time.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(SampleFrames * TimeSpan.TicksPerSecond / SampleRate);

    /// <summary>Copies one channel out of the interleaved samples; returns the number of samples written.</summary>
    public int CopyChannel(int channel, Span<short> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        int frames = SampleFrames;
        if (destination.Length < frames)
        {
            throw new ArgumentException($"Destination holds {destination.Length} samples but {frames} are needed.", nameof(destination));
        }

        ReadOnlySpan<short> samples = Samples.Span;
        for (int frame = 0, source = channel; frame < frames; frame++, source += Channels)
        {
            destination[frame] = samples[source];
        }

        return frames;
    }
}
