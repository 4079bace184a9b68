using Vox.Grains.Internal;
using Vox.Grains.Knowledge;
using Vox.Grains.Net;
using Vox.Grains.Secrets;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Providers.Deepgram;
using Vox.MediaWorker.Providers.ElevenLabs;
using Vox.MediaWorker.Providers.MiniMax;
using Vox.MediaWorker.Providers.OpenAi;

namespace Vox.MediaWorker.Hosting;

/// <summary>Registers the cloud providers' options and HTTP clients, and the silo-backed tenant secrets and knowledge search.</summary>
public static class ProviderHostingExtensions
{
    /// <summary>Adds <c>Providers:*</c> options, the provider and tool HTTP clients, and the internal-API secret and knowledge clients.</summary>
    public static IHostApplicationBuilder AddVoxProviders(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DeepgramOptions>().Bind(builder.Configuration.GetSection(DeepgramOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LanguageModelOptions>().Bind(builder.Configuration.GetSection(LanguageModelOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Endpoints.All(e => Uri.TryCreate(e.Value.BaseUrl, UriKind.Absolute, out _)), "Providers:Llm:Endpoints:*:BaseUrl must be an absolute URL.")
            .ValidateOnStart();
        services.AddOptions<ElevenLabsOptions>().Bind(builder.Configuration.GetSection(ElevenLabsOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Transport is "websocket" or "http", "Providers:ElevenLabs:Transport must be 'websocket' or 'http'.")
            .ValidateOnStart();
        services.AddOptions<MiniMaxOptions>().Bind(builder.Configuration.GetSection(MiniMaxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(HttpClientNames.Providers, http => http.Timeout = Timeout.InfiniteTimeSpan);
        // Custom HTTP tools call URLs the tenants configure: every connection passes the egress policy.
        services.AddVoxEgress(builder.Configuration);
        services.AddHttpClient(HttpClientNames.Tools, http => http.Timeout = TimeSpan.FromMinutes(2))
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var handler = sp.GetRequiredService<EgressPolicy>().CreateHandler();
                handler.AllowAutoRedirect = false;
                return handler;
            });
        services.AddSingleton<ITenantSecretSource, HttpTenantSecretSource>();
        services.AddSingleton<IKnowledgeSearch, HttpKnowledgeSearch>();
        services.AddSingleton<ProviderFactoryServices>();
        return builder;
    }
}
