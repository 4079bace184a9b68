using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Grains.Secrets;
using Vox.Grains.Store;

namespace Vox.Grains.Knowledge;

/// <summary>Registers knowledge bases (with embeddings and Qdrant when configured) and encrypted tenant secrets.</summary>
public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IKnowledgeBases"/>, <see cref="ITenantSecrets"/> and their options.</summary>
    public static IServiceCollection AddVoxKnowledgeAndSecrets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KnowledgeOptions>().Bind(configuration.GetSection(KnowledgeOptions.Section)).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.EmbeddingsBaseUrl) || Uri.TryCreate(o.EmbeddingsBaseUrl, UriKind.Absolute, out _), "Knowledge:EmbeddingsBaseUrl must be an absolute URL.")
            .Validate(o => string.IsNullOrWhiteSpace(o.QdrantUrl) || Uri.TryCreate(o.QdrantUrl, UriKind.Absolute, out _), "Knowledge:QdrantUrl must be an absolute URL.")
            .Validate(o => string.IsNullOrWhiteSpace(o.QdrantUrl) || !string.IsNullOrWhiteSpace(o.EmbeddingsBaseUrl), "Knowledge:QdrantUrl needs Knowledge:EmbeddingsBaseUrl (Qdrant stores the embeddings).")
            .ValidateOnStart();
        services.AddOptions<SecretsOptions>().Bind(configuration.GetSection(SecretsOptions.Section))
            .Validate(o => TryCipher(o), "Secrets:Key (and Secrets:PreviousKeys) must be base64 of 32 bytes: `openssl rand -base64 32`.")
            .ValidateOnStart();
        services.AddHttpClient("knowledge", http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(sp => new SecretCipher(sp.GetRequiredService<IOptions<SecretsOptions>>().Value));
        services.AddSingleton<TenantSecretStore>();
        services.AddSingleton<ITenantSecrets>(sp => sp.GetRequiredService<TenantSecretStore>());
        services.AddSingleton<ITenantSecretSource>(sp => sp.GetRequiredService<TenantSecretStore>());
        services.AddSingleton<IKnowledgeBases>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>();
            var embeddings = string.IsNullOrWhiteSpace(options.EmbeddingsBaseUrl) ? null : new OpenAiEmbeddingClient(http.CreateClient("knowledge"), options);
            var vectors = string.IsNullOrWhiteSpace(options.QdrantUrl) ? null : new QdrantVectorIndex(http.CreateClient("knowledge"), options);
            return new KnowledgeBaseStore(sp.GetRequiredService<IGrainStore>(), options, embeddings, vectors, sp.GetRequiredService<ILogger<KnowledgeBaseStore>>());
        });
        services.AddSingleton<IKnowledgeSearch>(sp => sp.GetRequiredService<IKnowledgeBases>());
        return services;
    }

    private static bool TryCipher(SecretsOptions options)
    {
        try
        {
            _ = new SecretCipher(options);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
