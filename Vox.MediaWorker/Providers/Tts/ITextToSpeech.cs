namespace Vox.MediaWorker.Providers.Tts;

/// <summary>A text-to-speech provider (offline espeak-ng, ElevenLabs, MiniMax...).</summary>
public interface ITextToSpeech
{
    /// <summary>Provider name as bots select it, e.g. <c>offline</c>.</summary>
    string Name { get; }

    /// <summary>Synthesises <paramref name="text"/> as mono PCM16 chunks at the requested rate, streaming as soon as audio exists.</summary>
    IAsyncEnumerable<SpeechAudioChunk> SynthesizeAsync(string text, TextToSpeechRequest request, CancellationToken cancellationToken);
}
