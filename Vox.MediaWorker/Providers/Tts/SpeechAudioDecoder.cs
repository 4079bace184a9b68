using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Providers.Tts;

/// <summary>
/// Turns a provider's audio bytes (mu-law or PCM16 LE, split anywhere) into PCM16 samples at the pipeline's rate,
/// resampling only when the provider could not deliver that rate.
/// </summary>
public sealed class SpeechAudioDecoder(AudioEncoding encoding, int providerRate, int pipelineRate)
{
    private readonly Resampler? _resampler = providerRate == pipelineRate ? null : new Resampler(providerRate, pipelineRate);
    private byte? _odd;

    /// <summary>Decodes <paramref name="bytes"/>; an odd trailing PCM byte is kept for the next call.</summary>
    public short[] Decode(ReadOnlySpan<byte> bytes)
    {
        short[] samples;
        if (encoding == AudioEncoding.MuLaw)
        {
            samples = new short[bytes.Length];
            MuLawCodec.Decode(bytes, samples);
        }
        else
        {
            var joined = bytes;
            byte[]? buffer = null;
            if (_odd is { } carried)
            {
                buffer = new byte[bytes.Length + 1];
                buffer[0] = carried;
                bytes.CopyTo(buffer.AsSpan(1));
                joined = buffer;
                _odd = null;
            }

            if (joined.Length % 2 == 1)
            {
                _odd = joined[^1];
                joined = joined[..^1];
            }

            samples = new short[joined.Length / 2];
            Pcm16.BytesToSamples(joined, samples);
        }

        if (_resampler is null)
        {
            return samples;
        }

        var output = new short[_resampler.GetMaxOutputLength(samples.Length)];
        var written = _resampler.Process(samples, output);
        return output[..written];
    }
}
