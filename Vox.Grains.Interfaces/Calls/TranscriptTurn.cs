namespace Vox.Grains.Calls;

/// <summary>One utterance in the transcript; times are milliseconds from call start.</summary>
/// <param name="Sequence">Order within the call, unique per call.</param>
/// <param name="Role"><c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Text">What was said (for the assistant: what was actually played).</param>
/// <param name="StartMs">When the utterance started.</param>
/// <param name="EndMs">When it ended.</param>
/// <param name="Interrupted">True when the caller cut the assistant off.</param>
public sealed record TranscriptTurn(int Sequence, string Role, string Text, long StartMs, long EndMs, bool Interrupted = false);
