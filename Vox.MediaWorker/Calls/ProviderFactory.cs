using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Grains.Bots;
using Vox.Grains.Knowledge;
using Vox.Grains.Secrets;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Providers.Deepgram;
using Vox.MediaWorker.Providers.ElevenLabs;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Providers.MiniMax;
using Vox.MediaWorker.Providers.OpenAi;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Providers.Tts;
using Vox.MediaWorker.Tools;

namespace Vox.MediaWorker.Calls;

/// <summary>
/// Builds each call's providers from the bot's choices: Deepgram, any OpenAI-compatible LLM endpoint, ElevenLabs or
/// MiniMax, with the tenant's stored key (else the key from configuration or the <c>{PROVIDER}_API_KEY</c> environment
/// variable). TTS gets the bot's fallback voice and the offline voice for a spoken error behind it. A choice this worker
/// cannot serve (unknown, or no key) falls back to the offline stack with a warning. Keys are never logged.
/// </summary>
public sealed partial class ProviderFactory(
    IEnumerable<ISpeechToText> stt,
    IEnumerable<ITextToSpeech> tts,
    ProviderFactoryServices services,
    ILogger<ProviderFactory> logger)
{
    /// <summary>What the last-resort voice says when every TTS voice failed.</summary>
    public const string SpokenTtsError = "Sorry, I'm having trouble with my voice right now. Please bear with me.";

    private readonly Dictionary<string, ISpeechToText> _stt = stt.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ITextToSpeech> _tts = tts.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The providers for <paramref name="bot"/>, with its tenant's keys fetched from the silo.</summary>
    public async Task<ProviderSet> CreateAsync(BotRuntimeConfig bot, AudioEncoding transportEncoding, CancellationToken cancellationToken)
    {
        var secrets = TenantSecretSet.Empty;
        if (NeedsSecrets(bot.Definition))
        {
            try
            {
                secrets = await services.Secrets.GetAsync(bot.TenantId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or Vox.Grains.VoxException)
            {
                LogSecretsUnavailable(logger, bot.TenantId, ex.Message);
            }
        }

        return Create(bot.Definition, secrets, transportEncoding);
    }

    /// <summary>The providers for <paramref name="bot"/> with the given tenant secrets.</summary>
    public ProviderSet Create(BotDefinition bot, TenantSecretSet secrets, AudioEncoding transportEncoding = AudioEncoding.Pcm16) =>
        new(CreateSpeechToText(bot, secrets), CreateLanguageModel(bot, secrets), CreateTextToSpeech(bot, secrets, transportEncoding)) { Secrets = secrets };

    /// <summary>The tool runtime of one call.</summary>
    public ToolRuntime CreateTools(CallContext call, ProviderSet set, ICallControl? control) =>
        new(call, services.Knowledge, set.Secrets, services.Http.CreateClient(HttpClientNames.Tools), control, services.Loggers.CreateLogger<ToolRuntime>());

    /// <summary>The post-call analysis, or null when the bot asks for none.</summary>
    public Task<System.Text.Json.JsonElement?> AnalyzeAsync(ProviderSet set, BotDefinition bot, IReadOnlyList<Vox.Grains.Calls.TranscriptTurn> turns, CancellationToken cancellationToken) =>
        new PostCallAnalyzer(services.Loggers.CreateLogger<PostCallAnalyzer>()).AnalyzeAsync(set.Llm, bot, turns, cancellationToken);

    private static bool NeedsSecrets(BotDefinition bot) =>
        !IsOffline(bot.Stt.Provider) || !IsOffline(bot.Llm.Provider) || !IsOffline(bot.Tts.Provider) || bot.Tools.Any(t => t.Headers.Count > 0);

    private static bool IsOffline(string provider) => string.Equals(provider, "offline", StringComparison.OrdinalIgnoreCase);

    private ISpeechToText CreateSpeechToText(BotDefinition bot, TenantSecretSet secrets)
    {
        if (string.Equals(bot.Stt.Provider, "deepgram", StringComparison.OrdinalIgnoreCase))
        {
            var options = services.Deepgram.Value;
            if (Key("deepgram", secrets, options.ApiKey) is { } key)
            {
                return new DeepgramSpeechToText(options, key, services.Time, services.Loggers.CreateLogger<DeepgramSpeechToText>());
            }

            LogNoKey(logger, "stt", "deepgram");
        }

        return Pick(_stt, bot.Stt.Provider, "stt");
    }

    private ILanguageModel CreateLanguageModel(BotDefinition bot, TenantSecretSet secrets)
    {
        var name = bot.Llm.Provider;
        if (IsOffline(name))
        {
            return new OfflineResponder(bot);
        }

        var options = services.Llm.Value;
        if (!options.Endpoints.TryGetValue(name, out var configured))
        {
            LogFallback(logger, "llm", name);
            return new OfflineResponder(bot);
        }

        var endpoint = new OpenAiEndpointOptions
        {
            BaseUrl = bot.Llm.BaseUrl ?? configured.BaseUrl,
            DefaultModel = configured.DefaultModel,
            RequiresKey = configured.RequiresKey,
            PromptCache = configured.PromptCache,
            Headers = configured.Headers,
        };
        var key = Key(name, secrets, configured.ApiKey);
        if (key is null && endpoint.RequiresKey)
        {
            LogNoKey(logger, "llm", name);
            return new OfflineResponder(bot);
        }

        return new OpenAiCompatibleLanguageModel(name, endpoint, key, bot.Llm.FallbackModels, services.Http.CreateClient(HttpClientNames.Providers), options, services.Time,
            services.Loggers.CreateLogger<OpenAiCompatibleLanguageModel>());
    }

    private ITextToSpeech CreateTextToSpeech(BotDefinition bot, TenantSecretSet secrets, AudioEncoding transportEncoding)
    {
        ITextToSpeech? primary = null;
        var name = bot.Tts.Provider;
        if (string.Equals(name, "elevenlabs", StringComparison.OrdinalIgnoreCase))
        {
            var options = services.ElevenLabs.Value;
            if (Key("elevenlabs", secrets, options.ApiKey) is { } key)
            {
                primary = new ElevenLabsTextToSpeech(options, key, transportEncoding, services.Http.CreateClient(HttpClientNames.Providers), services.Loggers.CreateLogger<ElevenLabsTextToSpeech>());
            }
            else
            {
                LogNoKey(logger, "tts", name);
            }
        }
        else if (string.Equals(name, "minimax", StringComparison.OrdinalIgnoreCase))
        {
            var options = services.MiniMax.Value;
            if (Key("minimax", secrets, options.ApiKey) is { } key)
            {
                primary = new MiniMaxTextToSpeech(options, key, services.Http.CreateClient(HttpClientNames.Providers));
            }
            else
            {
                LogNoKey(logger, "tts", name);
            }
        }

        if (primary is null)
        {
            return Pick(_tts, name, "tts");
        }

        var voices = new List<(ITextToSpeech, string?)> { (primary, null) };
        if (bot.Tts.FallbackVoice is { Length: > 0 } fallbackVoice)
        {
            voices.Add((primary, fallbackVoice));
        }

        return new FallbackTextToSpeech(voices, _tts.GetValueOrDefault("offline"), SpokenTtsError, services.Loggers.CreateLogger<FallbackTextToSpeech>());
    }

    private static string? Key(string provider, TenantSecretSet secrets, string? configured) =>
        secrets.Get(provider) ?? NullIfEmpty(configured) ?? NullIfEmpty(Environment.GetEnvironmentVariable(provider.ToUpperInvariant() + "_API_KEY"));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "No key for {Layer} provider {Provider} (tenant secret, configuration or environment); using the offline one")]
    private static partial void LogNoKey(ILogger logger, string layer, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The secrets of tenant {TenantId} could not be fetched: {Error}")]
    private static partial void LogSecretsUnavailable(ILogger logger, string tenantId, string error);
}
