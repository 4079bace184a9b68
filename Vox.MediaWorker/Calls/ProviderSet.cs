using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Providers.Tts;

namespace Vox.MediaWorker.Calls;

/// <summary>The three providers one call runs with.</summary>
public sealed record ProviderSet(ISpeechToText Stt, ILanguageModel Llm, ITextToSpeech Tts);
