namespace Vox.MediaWorker.Providers.Stt.Offline;

/// <summary>A word of a pocketsphinx hypothesis with its frames (100 per second) from the start of the utterance.</summary>
internal readonly record struct RecognizedWord(string Word, int StartFrame, int EndFrame);
