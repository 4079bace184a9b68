using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Providers.Tts;

/// <summary>The output format to ask a TTS provider for, so its audio needs no resampling for the transport.</summary>
public static class TtsOutputFormats
{
    private static readonly int[] ElevenLabsPcmRates = [8000, 16000, 22050, 24000, 44100, 48000];

    /// <summary>ElevenLabs <c>output_format</c>: <c>ulaw_8000</c> for a mu-law transport (Twilio), else PCM at the transport's rate.</summary>
    public static (string Format, AudioEncoding Encoding, int Rate) ElevenLabs(int pipelineRate, AudioEncoding transportEncoding)
    {
        if (transportEncoding == AudioEncoding.MuLaw && pipelineRate == 8000)
        {
            return ("ulaw_8000", AudioEncoding.MuLaw, 8000);
        }

        var rate = ElevenLabsPcmRates.Contains(pipelineRate) ? pipelineRate : 16000;
        return ($"pcm_{rate}", AudioEncoding.Pcm16, rate);
    }

    /// <summary>MiniMax <c>audio_setting.sample_rate</c> (PCM): the transport's rate when MiniMax offers it.</summary>
    public static int MiniMaxRate(int pipelineRate) => pipelineRate is 8000 or 16000 or 22050 or 24000 or 32000 or 44100 ? pipelineRate : 16000;
}
