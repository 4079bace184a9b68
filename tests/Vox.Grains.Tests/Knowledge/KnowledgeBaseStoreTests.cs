using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Fakes;
using Vox.Grains.Knowledge;

namespace Vox.Grains.Tests.Knowledge;

/// <summary>Knowledge bases on both real engines (SQLite FTS5, PostgreSQL full text), with hybrid ranking through the fake embeddings endpoint.</summary>
public sealed class KnowledgeBaseStoreTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static IEnumerable<object[]> Dialects => Vox.Testing.TestDatabases.Dialects;

    private static async Task<(GrainTestContext Context, KnowledgeBaseStore Store, string TenantId, string KnowledgeBaseId)> SeedAsync(string dialect, IEmbeddingClient? embeddings, IVectorIndex? vectors = null)
    {
        var context = await GrainTestContext.CreateAsync(dialect);
        var store = new KnowledgeBaseStore(context.Store, new KnowledgeOptions(), embeddings, vectors, NullLogger<KnowledgeBaseStore>.Instance);
        var tenant = await context.CreateTenantAsync();
        var kb = await store.CreateAsync(tenant, "Clinic", CancellationToken.None);
        foreach (var document in ClinicCorpus.Documents)
        {
            await store.AddDocumentAsync(tenant, kb.Id, document, CancellationToken.None);
        }

        return (context, store, tenant, kb.Id);
    }

    private async Task<double> RecallAt3Async(KnowledgeBaseStore store, string tenant, string kb, string label)
    {
        var found = 0;
        foreach (var (question, expected) in ClinicCorpus.Questions)
        {
            var hits = await store.SearchAsync(tenant, kb, question, 3, CancellationToken.None);
            var hit = hits.Any(h => ClinicCorpus.Answers(h, expected));
            found += hit ? 1 : 0;
            if (!hit)
            {
                output.WriteLine($"{label} miss: '{question}' -> {string.Join(" | ", hits.Select(h => h.Heading))}");
            }
        }

        var recall = found / (double)ClinicCorpus.Questions.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label} recall@3 = {recall:0.000} ({found}/{ClinicCorpus.Questions.Count})"));
        return recall;
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Full_text_search_finds_the_answering_chunk_in_the_top_3(string dialect)
    {
        var (context, store, tenant, kb) = await SeedAsync(dialect, null);
        await using var _ = context;
        var recall = await RecallAt3Async(store, tenant, kb, $"{dialect} full-text");
        Assert.True(recall >= 0.8, $"recall@3 {recall:0.00}");
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Hybrid_search_with_embeddings_finds_the_answering_chunk_in_the_top_3(string dialect)
    {
        await using var fakes = await FakeProviderServer.StartAsync();
        using var http = new HttpClient();
        var embeddings = new OpenAiEmbeddingClient(http, new KnowledgeOptions { EmbeddingsBaseUrl = fakes.BaseUrl + "v1", EmbeddingsApiKey = fakes.OpenAi.ApiKey });
        var (context, store, tenant, kb) = await SeedAsync(dialect, embeddings);
        await using var _ = context;
        var recall = await RecallAt3Async(store, tenant, kb, $"{dialect} hybrid");
        Assert.True(recall >= 0.8, $"recall@3 {recall:0.00}");
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Hybrid_search_with_vectors_in_qdrant_is_scoped_to_the_tenant(string dialect)
    {
        await using var fakes = await FakeProviderServer.StartAsync();
        using var http = new HttpClient();
        var options = new KnowledgeOptions { EmbeddingsBaseUrl = fakes.BaseUrl + "v1", EmbeddingsApiKey = fakes.OpenAi.ApiKey, QdrantUrl = fakes.BaseUrl.ToString(), QdrantCollection = "kb_test" };
        var (context, store, tenant, kb) = await SeedAsync(dialect, new OpenAiEmbeddingClient(http, options), new QdrantVectorIndex(http, options));
        await using var _ = context;

        var recall = await RecallAt3Async(store, tenant, kb, $"{dialect} hybrid+qdrant");

        Assert.True(recall >= 0.8, $"recall@3 {recall:0.00}");
        Assert.True(fakes.Qdrant.Count("kb_test") >= 15);
        Assert.Equal(0, await context.CountAsync("knowledge_chunks", "embedding IS NOT NULL"));
        Assert.All(fakes.Qdrant.SearchFilters, f => Assert.Contains(tenant, f, StringComparison.Ordinal));
        await store.DeleteAsync(tenant, kb, CancellationToken.None);
        Assert.Equal(0, fakes.Qdrant.Count("kb_test"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task A_tenant_never_searches_another_tenants_knowledge_base(string dialect)
    {
        var (context, store, tenant, kb) = await SeedAsync(dialect, null);
        await using var _ = context;
        var other = await context.CreateTenantAsync();
        var otherKb = await store.CreateAsync(other, "Other", CancellationToken.None);
        await store.AddDocumentAsync(other, otherKb.Id, new KnowledgeDocumentInput("other.txt", "text/plain", "Our opening hours on Saturday are secret for other tenants."), CancellationToken.None);

        await Assert.ThrowsAsync<NotFoundException>(() => store.SearchAsync(other, kb, "opening hours saturday", 3, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => store.AddDocumentAsync(other, kb, new KnowledgeDocumentInput("x.txt", "text/plain", "x"), CancellationToken.None));
        var own = await store.SearchAsync(other, otherKb.Id, "opening hours saturday", 3, CancellationToken.None);
        Assert.All(own, h => Assert.Contains("secret for other tenants", h.Text, StringComparison.Ordinal));
        var mine = await store.SearchAsync(tenant, kb, "opening hours saturday", 3, CancellationToken.None);
        Assert.DoesNotContain(mine, h => h.Text.Contains("secret for other tenants", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Deleting_a_knowledge_base_removes_its_chunks_from_the_index(string dialect)
    {
        var (context, store, tenant, kb) = await SeedAsync(dialect, null);
        await using var _ = context;
        var info = await store.GetAsync(tenant, kb, CancellationToken.None);
        Assert.Equal(3, info.Documents);
        Assert.True(info.Chunks >= 15, $"{info.Chunks} chunks");

        await store.DeleteAsync(tenant, kb, CancellationToken.None);

        Assert.Equal(0, await context.CountAsync("knowledge_chunks"));
        await Assert.ThrowsAsync<NotFoundException>(() => store.SearchAsync(tenant, kb, "parking", 3, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Unsupported_content_type_is_refused_with_a_clear_message(string dialect)
    {
        var (context, store, tenant, kb) = await SeedAsync(dialect, null);
        await using var _ = context;
        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.AddDocumentAsync(tenant, kb, new KnowledgeDocumentInput("x.pdf", "application/pdf", "%PDF"), CancellationToken.None));
        Assert.Contains("text/markdown", error.Message, StringComparison.Ordinal);
    }
}
