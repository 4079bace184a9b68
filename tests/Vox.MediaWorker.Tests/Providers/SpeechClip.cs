namespace Vox.MediaWorker.Tests.Providers;

/// <summary>One recording of the generated speech fixtures: which utterance, its noise condition and rate, and what is said.</summary>
internal sealed record SpeechClip(string Id, string Condition, int SampleRate, string File, string Text, TimeSpan SpeechStart, TimeSpan SpeechEnd);
