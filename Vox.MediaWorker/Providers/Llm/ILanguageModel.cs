namespace Vox.MediaWorker.Providers.Llm;

/// <summary>Produces the bot's replies: an OpenAI-compatible LLM, or the offline scripted responder.</summary>
public interface ILanguageModel
{
    /// <summary>Provider name as bots select it.</summary>
    string Name { get; }

    /// <summary>Streams the reply to the conversation so far: text deltas, tool calls, usage.</summary>
    IAsyncEnumerable<LanguageModelEvent> StreamAsync(LanguageModelRequest request, CancellationToken cancellationToken);
}
