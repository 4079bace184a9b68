namespace Vox.MediaWorker.Providers.Tts;

/// <summary>A chunk of synthesised speech: mono PCM16 samples, with the text it speaks when the provider knows it (for barge-in truncation).</summary>
public sealed record SpeechAudioChunk(ReadOnlyMemory<short> Samples, int SampleRate, string? Text = null);
