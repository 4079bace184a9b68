namespace Vox.MediaWorker.Providers.Tts;

/// <summary>How to speak: voice, language and the output rate the transport needs (so no resampling is needed downstream).</summary>
public sealed record TextToSpeechRequest(int SampleRate, string? Voice = null, string Language = "en-US", double Speed = 1.0);
