using Microsoft.Extensions.Options;
using Vox.Grains.Knowledge;
using Vox.Grains.Secrets;
using Vox.MediaWorker.Providers.Deepgram;
using Vox.MediaWorker.Providers.ElevenLabs;
using Vox.MediaWorker.Providers.MiniMax;
using Vox.MediaWorker.Providers.OpenAi;

namespace Vox.MediaWorker.Calls;

/// <summary>What <see cref="ProviderFactory"/> builds providers from: HTTP clients, provider options, the tenant secret source and the knowledge search.</summary>
public sealed class ProviderFactoryServices(
    IHttpClientFactory http,
    IOptions<DeepgramOptions> deepgram,
    IOptions<LanguageModelOptions> llm,
    IOptions<ElevenLabsOptions> elevenLabs,
    IOptions<MiniMaxOptions> miniMax,
    ITenantSecretSource secrets,
    IKnowledgeSearch knowledge,
    TimeProvider time,
    ILoggerFactory loggers)
{
    /// <summary>HTTP clients (<see cref="HttpClientNames"/>).</summary>
    public IHttpClientFactory Http => http;

    /// <summary>Deepgram settings.</summary>
    public IOptions<DeepgramOptions> Deepgram => deepgram;

    /// <summary>LLM settings and endpoints.</summary>
    public IOptions<LanguageModelOptions> Llm => llm;

    /// <summary>ElevenLabs settings.</summary>
    public IOptions<ElevenLabsOptions> ElevenLabs => elevenLabs;

    /// <summary>MiniMax settings.</summary>
    public IOptions<MiniMaxOptions> MiniMax => miniMax;

    /// <summary>Where tenant keys come from.</summary>
    public ITenantSecretSource Secrets => secrets;

    /// <summary>Knowledge search for <c>search_knowledge</c>.</summary>
    public IKnowledgeSearch Knowledge => knowledge;

    /// <summary>Clock for timeouts.</summary>
    public TimeProvider Time => time;

    /// <summary>Loggers of the per-call providers.</summary>
    public ILoggerFactory Loggers => loggers;
}
