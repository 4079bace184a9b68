using Microsoft.Extensions.Logging;
using Vox.Grains.Bots;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Providers.Tts;

namespace Vox.MediaWorker.Calls;

/// <summary>Picks each layer's provider by the bot's choice among those registered; unknown choices fall back to the offline stack with a warning.</summary>
public sealed partial class ProviderFactory(IEnumerable<ISpeechToText> stt, IEnumerable<ITextToSpeech> tts, ILogger<ProviderFactory> logger)
{
    private readonly Dictionary<string, ISpeechToText> _stt = stt.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ITextToSpeech> _tts = tts.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The providers for <paramref name="bot"/>.</summary>
    public ProviderSet Create(BotDefinition bot) => new(
        Pick(_stt, bot.Stt.Provider, "stt"),
        CreateLanguageModel(bot),
        Pick(_tts, bot.Tts.Provider, "tts"));

    private ILanguageModel CreateLanguageModel(BotDefinition bot)
    {
        if (!string.Equals(bot.Llm.Provider, "offline", StringComparison.OrdinalIgnoreCase))
        {
            LogFallback(logger, "llm", bot.Llm.Provider);
        }

        return new OfflineResponder(bot);
    }

    private T Pick<T>(Dictionary<string, T> providers, string wanted, string layer)
    {
        if (providers.TryGetValue(wanted, out var provider))
        {
            return provider;
        }

        LogFallback(logger, layer, wanted);
        return providers.TryGetValue("offline", out var offline)
            ? offline
            : throw new InvalidOperationException($"No {layer} provider '{wanted}' and no offline {layer} provider is registered on this worker.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bot asks for {Layer} provider {Provider}, which this worker does not have; using the offline one")]
    private static partial void LogFallback(ILogger logger, string layer, string provider);
}
