namespace Vox.MediaWorker.Providers.Tts.Offline;

/// <summary>A piece of espeak-ng output at the engine's rate; <see cref="Text"/> is set on the piece that ends a word.</summary>
internal readonly record struct EspeakSegment(short[] Samples, string? Text);
