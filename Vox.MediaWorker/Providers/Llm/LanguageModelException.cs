namespace Vox.MediaWorker.Providers.Llm;

/// <summary>The language model failed: every model and retry before the first token, or the stream broke after it.</summary>
public sealed class LanguageModelException(string message, Exception? inner = null) : Exception(message, inner);
