namespace Vox.MediaWorker.Providers.Tts;

/// <summary>A voice failed; <see cref="CharsSpoken"/> of the text were already delivered as audio (from alignment), so a fallback can say the rest.</summary>
public sealed class TextToSpeechException(string message, int charsSpoken, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Characters of the requested text already spoken.</summary>
    public int CharsSpoken { get; } = charsSpoken;
}
