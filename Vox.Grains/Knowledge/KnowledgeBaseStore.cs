using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Vox.Grains.Store;

namespace Vox.Grains.Knowledge;

/// <summary>
/// Knowledge bases on the store. Documents are read (text, Markdown, CSV, HTML), chunked by headings and sentences with
/// overlap, and indexed by the database's own full-text engine (SQLite FTS5 with BM25; PostgreSQL tsvector with
/// ts_rank_cd). With an embeddings endpoint, chunks also get vectors (in the store, or in Qdrant when configured) and a
/// search fuses the full-text and vector rankings (reciprocal rank fusion). Every query is scoped to the tenant.
/// </summary>
public sealed partial class KnowledgeBaseStore(
    IGrainStore store,
    KnowledgeOptions options,
    IEmbeddingClient? embeddings,
    IVectorIndex? vectors,
    ILogger<KnowledgeBaseStore> logger) : IKnowledgeBases
{
    private const int RrfK = 60;

    /// <inheritdoc />
    public Task<KnowledgeBaseInfo> CreateAsync(string tenantId, string name, CancellationToken cancellationToken) =>
        store.WriteAsync(async (c, t, ct) =>
        {
            var id = Ids.New("kb");
            var createdAt = await c.ExecuteScalarAsync<long>(new CommandDefinition(store.Sql(
                "INSERT INTO knowledge_bases (id, tenant_id, name, created_at) VALUES (@Id, @TenantId, @Name, {now}) RETURNING created_at"),
                new { Id = id, TenantId = tenantId, Name = name }, t, cancellationToken: ct)).ConfigureAwait(false);
            return new KnowledgeBaseInfo(id, tenantId, name, 0, 0, DateTimeOffset.FromUnixTimeMilliseconds(createdAt));
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<KnowledgeBaseInfo>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        store.ReadAsync(async (c, ct) => (IReadOnlyList<KnowledgeBaseInfo>)(await c.QueryAsync<KnowledgeBaseRow>(new CommandDefinition(
            SelectBases + " WHERE b.tenant_id = @TenantId ORDER BY b.created_at DESC, b.id DESC", new { TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false))
            .Select(r => r.ToInfo()).ToList(), cancellationToken);

    /// <inheritdoc />
    public Task<KnowledgeBaseInfo> GetAsync(string tenantId, string knowledgeBaseId, CancellationToken cancellationToken) =>
        store.ReadAsync((c, ct) => LoadAsync(c, null, tenantId, knowledgeBaseId, ct), cancellationToken);

    /// <inheritdoc />
    public async Task DeleteAsync(string tenantId, string knowledgeBaseId, CancellationToken cancellationToken)
    {
        await store.WriteAsync(async (c, t, ct) =>
        {
            await LoadAsync(c, t, tenantId, knowledgeBaseId, ct).ConfigureAwait(false);
            // Chunks first, row by row, so the FTS5 delete trigger keeps the index in step.
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM knowledge_chunks WHERE knowledge_base_id = @Id", new { Id = knowledgeBaseId }, t, cancellationToken: ct)).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM knowledge_documents WHERE knowledge_base_id = @Id", new { Id = knowledgeBaseId }, t, cancellationToken: ct)).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM knowledge_bases WHERE id = @Id", new { Id = knowledgeBaseId }, t, cancellationToken: ct)).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (vectors is not null)
        {
            await vectors.DeleteAsync(tenantId, knowledgeBaseId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<KnowledgeDocumentInfo> AddDocumentAsync(string tenantId, string knowledgeBaseId, KnowledgeDocumentInput document, CancellationToken cancellationToken)
    {
        var contentType = KnowledgeDocumentReader.Normalize(document.ContentType, document.Name)
            ?? throw new ArgumentException($"Content type '{document.ContentType}' is not supported; use one of {string.Join(", ", KnowledgeDocumentReader.ContentTypes)}.", nameof(document));
        if (document.Content.Length > options.MaxDocumentChars)
        {
            throw new ArgumentException($"The document has {document.Content.Length} characters; at most {options.MaxDocumentChars} are accepted.", nameof(document));
        }

        var title = Path.GetFileNameWithoutExtension(document.Name);
        var chunks = KnowledgeChunker.Chunk(KnowledgeDocumentReader.Read(contentType, document.Content, title), options.MaxChunkChars, options.OverlapSentences);
        var ids = chunks.Select(_ => Ids.New("chk")).ToList();
        IReadOnlyList<float[]>? embedded = null;
        if (embeddings is not null && chunks.Count > 0)
        {
            embedded = await embeddings.EmbedAsync(chunks.Select(EmbeddingText).ToList(), cancellationToken).ConfigureAwait(false);
        }

        var info = await store.WriteAsync(async (c, t, ct) =>
        {
            await LoadAsync(c, t, tenantId, knowledgeBaseId, ct).ConfigureAwait(false);
            var id = Ids.New("doc");
            var createdAt = await c.ExecuteScalarAsync<long>(new CommandDefinition(store.Sql("""
                INSERT INTO knowledge_documents (id, knowledge_base_id, tenant_id, name, content_type, chunks, created_at)
                VALUES (@Id, @KnowledgeBaseId, @TenantId, @Name, @ContentType, @Chunks, {now}) RETURNING created_at
                """), new { Id = id, KnowledgeBaseId = knowledgeBaseId, TenantId = tenantId, document.Name, ContentType = contentType, Chunks = chunks.Count }, t, cancellationToken: ct)).ConfigureAwait(false);
            for (var i = 0; i < chunks.Count; i++)
            {
                await c.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO knowledge_chunks (id, knowledge_base_id, document_id, tenant_id, ordinal, heading, text, embedding)
                    VALUES (@Id, @KnowledgeBaseId, @DocumentId, @TenantId, @Ordinal, @Heading, @Text, @Embedding)
                    """, new
                {
                    Id = ids[i], KnowledgeBaseId = knowledgeBaseId, DocumentId = id, TenantId = tenantId, Ordinal = i, chunks[i].Heading, chunks[i].Text,
                    Embedding = embedded is not null && vectors is null ? JsonSerializer.Serialize(embedded[i]) : null,
                }, t, cancellationToken: ct)).ConfigureAwait(false);
            }

            return new KnowledgeDocumentInfo(id, knowledgeBaseId, document.Name, contentType, chunks.Count, DateTimeOffset.FromUnixTimeMilliseconds(createdAt));
        }, cancellationToken).ConfigureAwait(false);

        if (embedded is not null && vectors is not null)
        {
            await vectors.UpsertAsync(tenantId, knowledgeBaseId, ids.Select((id, i) => (id, embedded[i])).ToList(), cancellationToken).ConfigureAwait(false);
        }

        LogIndexed(logger, info.Id, knowledgeBaseId, chunks.Count, embedded is not null);
        return info;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<KnowledgeDocumentInfo>> ListDocumentsAsync(string tenantId, string knowledgeBaseId, CancellationToken cancellationToken) =>
        store.ReadAsync(async (c, ct) =>
        {
            await LoadAsync(c, null, tenantId, knowledgeBaseId, ct).ConfigureAwait(false);
            var rows = await c.QueryAsync<KnowledgeDocumentRow>(new CommandDefinition(
                "SELECT id, knowledge_base_id, name, content_type, chunks, created_at FROM knowledge_documents WHERE knowledge_base_id = @Id ORDER BY created_at, id",
                new { Id = knowledgeBaseId }, cancellationToken: ct)).ConfigureAwait(false);
            return (IReadOnlyList<KnowledgeDocumentInfo>)rows.Select(r => r.ToInfo()).ToList();
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string tenantId, string knowledgeBaseId, string query, int topK, CancellationToken cancellationToken)
    {
        topK = Math.Clamp(topK, 1, 50);
        // Another tenant's knowledge base is not found, exactly as a missing one.
        await GetAsync(tenantId, knowledgeBaseId, cancellationToken).ConfigureAwait(false);
        var candidates = Math.Max(options.FusionCandidates, topK);
        var fullText = await FullTextAsync(tenantId, knowledgeBaseId, query, candidates, cancellationToken).ConfigureAwait(false);
        if (embeddings is null)
        {
            return fullText.Take(topK).ToList();
        }

        var vector = (await embeddings.EmbedAsync([query], cancellationToken).ConfigureAwait(false))[0];
        var nearest = vectors is not null
            ? await vectors.SearchAsync(tenantId, knowledgeBaseId, vector, candidates, cancellationToken).ConfigureAwait(false)
            : await NearestInStoreAsync(tenantId, knowledgeBaseId, vector, candidates, cancellationToken).ConfigureAwait(false);

        // Reciprocal rank fusion: robust to the two rankings' scores being on different scales.
        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < fullText.Count; i++)
        {
            fused[fullText[i].ChunkId] = fused.GetValueOrDefault(fullText[i].ChunkId) + 1.0 / (RrfK + i + 1);
        }

        for (var i = 0; i < nearest.Count; i++)
        {
            fused[nearest[i]] = fused.GetValueOrDefault(nearest[i]) + 1.0 / (RrfK + i + 1);
        }

        var best = fused.OrderByDescending(p => p.Value).Take(topK).ToList();
        var chunks = await LoadChunksAsync(tenantId, knowledgeBaseId, best.Select(p => p.Key).ToList(), cancellationToken).ConfigureAwait(false);
        return best.Where(p => chunks.ContainsKey(p.Key)).Select(p => chunks[p.Key] with { Score = p.Value }).ToList();
    }

    private async Task<List<KnowledgeHit>> FullTextAsync(string tenantId, string knowledgeBaseId, string query, int limit, CancellationToken cancellationToken)
    {
        if (store.Dialect == StoreDialect.Postgres)
        {
            if (FullTextQuery.Postgres(query) is not { } tsQuery)
            {
                return [];
            }

            return await store.ReadAsync(async (c, ct) => (await c.QueryAsync<KnowledgeHitRow>(new CommandDefinition("""
                SELECT k.id AS chunk_id, k.document_id, k.heading, k.text, ts_rank_cd(k.tsv, q) AS score
                FROM knowledge_chunks k, to_tsquery('english', @Query) q
                WHERE k.tenant_id = @TenantId AND k.knowledge_base_id = @KnowledgeBaseId AND k.tsv @@ q
                ORDER BY score DESC, k.ordinal LIMIT @Limit
                """, new { Query = tsQuery, TenantId = tenantId, KnowledgeBaseId = knowledgeBaseId, Limit = limit }, cancellationToken: ct)).ConfigureAwait(false))
                .Select(r => r.ToHit()).ToList(), cancellationToken).ConfigureAwait(false);
        }

        if (FullTextQuery.Sqlite(query) is not { } match)
        {
            return [];
        }

        // bm25() is lower-is-better; headings weigh twice the text.
        return await store.ReadAsync(async (c, ct) => (await c.QueryAsync<KnowledgeHitRow>(new CommandDefinition("""
            SELECT k.id AS chunk_id, k.document_id, k.heading, k.text, -bm25(knowledge_chunks_fts, 2.0, 1.0) AS score
            FROM knowledge_chunks_fts JOIN knowledge_chunks k ON k.seq = knowledge_chunks_fts.rowid
            WHERE knowledge_chunks_fts MATCH @Match AND k.tenant_id = @TenantId AND k.knowledge_base_id = @KnowledgeBaseId
            ORDER BY score DESC, k.ordinal LIMIT @Limit
            """, new { Match = match, TenantId = tenantId, KnowledgeBaseId = knowledgeBaseId, Limit = limit }, cancellationToken: ct)).ConfigureAwait(false))
            .Select(r => r.ToHit()).ToList(), cancellationToken).ConfigureAwait(false);
    }

    private Task<List<string>> NearestInStoreAsync(string tenantId, string knowledgeBaseId, float[] vector, int limit, CancellationToken cancellationToken) =>
        store.ReadAsync(async (c, ct) =>
        {
            var rows = await c.QueryAsync<(string Id, string Embedding)>(new CommandDefinition(
                "SELECT id, embedding FROM knowledge_chunks WHERE tenant_id = @TenantId AND knowledge_base_id = @KnowledgeBaseId AND embedding IS NOT NULL",
                new { TenantId = tenantId, KnowledgeBaseId = knowledgeBaseId }, cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => (r.Id, Score: Cosine(vector, JsonSerializer.Deserialize<float[]>(r.Embedding)!)))
                .OrderByDescending(r => r.Score).Take(limit).Select(r => r.Id).ToList();
        }, cancellationToken);

    private Task<Dictionary<string, KnowledgeHit>> LoadChunksAsync(string tenantId, string knowledgeBaseId, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        store.ReadAsync(async (c, ct) =>
        {
            var hits = new Dictionary<string, KnowledgeHit>(StringComparer.Ordinal);
            foreach (var id in ids)
            {
                var row = await c.QuerySingleOrDefaultAsync<KnowledgeHitRow>(new CommandDefinition(
                    "SELECT id AS chunk_id, document_id, heading, text, 0.0 AS score FROM knowledge_chunks WHERE id = @Id AND tenant_id = @TenantId AND knowledge_base_id = @KnowledgeBaseId",
                    new { Id = id, TenantId = tenantId, KnowledgeBaseId = knowledgeBaseId }, cancellationToken: ct)).ConfigureAwait(false);
                if (row is not null)
                {
                    hits[id] = row.ToHit();
                }
            }

            return hits;
        }, cancellationToken);

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private static string EmbeddingText(KnowledgeChunk chunk) => chunk.Heading + "\n" + chunk.Text;

    private const string SelectBases = """
        SELECT b.id, b.tenant_id, b.name, b.created_at,
               (SELECT count(*) FROM knowledge_documents d WHERE d.knowledge_base_id = b.id) AS documents,
               (SELECT count(*) FROM knowledge_chunks k WHERE k.knowledge_base_id = b.id) AS chunks
        FROM knowledge_bases b
        """;

    private async Task<KnowledgeBaseInfo> LoadAsync(DbConnection c, DbTransaction? t, string tenantId, string knowledgeBaseId, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<KnowledgeBaseRow>(new CommandDefinition(SelectBases + " WHERE b.id = @Id AND b.tenant_id = @TenantId",
            new { Id = knowledgeBaseId, TenantId = tenantId }, t, cancellationToken: ct)).ConfigureAwait(false))?.ToInfo()
        ?? throw new NotFoundException("knowledge base", knowledgeBaseId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Indexed document {DocumentId} of knowledge base {KnowledgeBaseId}: {Chunks} chunks, embeddings {Embedded}")]
    private static partial void LogIndexed(ILogger logger, string documentId, string knowledgeBaseId, int chunks, bool embedded);
}
