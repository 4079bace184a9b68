namespace Vox.MediaWorker.Providers.Stt;

/// <summary>A piece of transcript. Interim events may be revised; a final one is settled.</summary>
/// <param name="Text">The words recognised.</param>
/// <param name="IsFinal">True when this text will not change.</param>
/// <param name="SpeechFinal">True when the provider also judged that the utterance ended.</param>
/// <param name="Start">Offset of the first word from the session start (audio time).</param>
/// <param name="End">Offset of the end of the last word.</param>
/// <param name="Confidence">0..1, when the provider reports it.</param>
public sealed record TranscriptEvent(string Text, bool IsFinal, bool SpeechFinal, TimeSpan Start, TimeSpan End, double? Confidence = null);
