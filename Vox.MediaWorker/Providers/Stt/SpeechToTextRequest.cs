using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Providers.Stt;

/// <summary>What a recognition session is asked to do: audio arrives as mono PCM16 at <see cref="SampleRate"/>.</summary>
/// <param name="SampleRate">Sample rate of the audio that will be sent (8000 or 16000).</param>
/// <param name="Language">BCP 47 language, e.g. <c>en-US</c>.</param>
/// <param name="Model">Provider model, if the bot names one.</param>
/// <param name="Keywords">Words to favour (names, products).</param>
/// <param name="TransportEncoding">How the transport delivered the audio: a mu-law carrier's audio is sent to the provider as mu-law again (no loss, half the bytes).</param>
public sealed record SpeechToTextRequest(int SampleRate, string Language = "en-US", string? Model = null, IReadOnlyList<string>? Keywords = null,
    AudioEncoding TransportEncoding = AudioEncoding.Pcm16);
