namespace Vox.MediaWorker.Providers.Stt.Offline;

/// <summary>Work queued for a session's decoding task: pooled audio to decode, or a request to finalise the utterance.</summary>
/// <param name="Audio">Samples at the session rate, rented from the shared array pool; <c>null</c> for a finalise request.</param>
/// <param name="Length">Samples used in <paramref name="Audio"/>.</param>
internal readonly record struct PocketSphinxCommand(short[]? Audio, int Length);
