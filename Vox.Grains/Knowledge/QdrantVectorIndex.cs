using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vox.Grains.Knowledge;

/// <summary>
/// Qdrant through its REST API: one collection for every tenant, each point carrying <c>tenant_id</c> and
/// <c>knowledge_base_id</c> in its payload, and every search filtered by both, so one tenant's chunks never answer
/// another's bot.
/// </summary>
public sealed class QdrantVectorIndex(HttpClient http, KnowledgeOptions options) : IVectorIndex
{
    private bool _collectionReady;

    /// <inheritdoc />
    public async Task UpsertAsync(string tenantId, string knowledgeBaseId, IReadOnlyList<(string ChunkId, float[] Vector)> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return;
        }

        await EnsureCollectionAsync(points[0].Vector.Length, cancellationToken).ConfigureAwait(false);
        var body = new
        {
            points = points.Select(p => new
            {
                id = PointId(p.ChunkId),
                vector = p.Vector,
                payload = new Dictionary<string, string> { ["tenant_id"] = tenantId, ["knowledge_base_id"] = knowledgeBaseId, ["chunk_id"] = p.ChunkId },
            }),
        };
        await SendAsync(HttpMethod.Put, $"/collections/{options.QdrantCollection}/points?wait=true", body, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> SearchAsync(string tenantId, string knowledgeBaseId, float[] vector, int limit, CancellationToken cancellationToken)
    {
        var body = new { vector, limit, with_payload = true, filter = Filter(tenantId, knowledgeBaseId) };
        using var doc = await SendAsync(HttpMethod.Post, $"/collections/{options.QdrantCollection}/points/search", body, cancellationToken).ConfigureAwait(false);
        return doc.RootElement.GetProperty("result").EnumerateArray()
            .Select(p => p.GetProperty("payload").GetProperty("chunk_id").GetString()!)
            .ToList();
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string tenantId, string knowledgeBaseId, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(HttpMethod.Post, $"/collections/{options.QdrantCollection}/points/delete?wait=true", new { filter = Filter(tenantId, knowledgeBaseId) }, cancellationToken).ConfigureAwait(false);
    }

    private static object Filter(string tenantId, string knowledgeBaseId) => new
    {
        must = new object[]
        {
            new { key = "tenant_id", match = new { value = tenantId } },
            new { key = "knowledge_base_id", match = new { value = knowledgeBaseId } },
        },
    };

    // Qdrant ids are unsigned integers or UUIDs: a UUID derived from the chunk id keeps upserts idempotent.
    private static string PointId(string chunkId) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(chunkId)).AsSpan(0, 16)).ToString();

    private async Task EnsureCollectionAsync(int size, CancellationToken cancellationToken)
    {
        if (_collectionReady)
        {
            return;
        }

        using var existing = new HttpRequestMessage(HttpMethod.Get, Url($"/collections/{options.QdrantCollection}"));
        Authorize(existing);
        using var found = await http.SendAsync(existing, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccessStatusCode)
        {
            using var _ = await SendAsync(HttpMethod.Put, $"/collections/{options.QdrantCollection}", new { vectors = new { size, distance = "Cosine" } }, cancellationToken).ConfigureAwait(false);
            using var __ = await SendAsync(HttpMethod.Put, $"/collections/{options.QdrantCollection}/index", new { field_name = "tenant_id", field_schema = "keyword" }, cancellationToken).ConfigureAwait(false);
        }

        _collectionReady = true;
    }

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, Url(path)) { Content = JsonContent.Create(body) };
        Authorize(request);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Qdrant {method} {path} answered {(int)response.StatusCode}: {(text.Length > 200 ? text[..200] : text)}", null, response.StatusCode);
        }

        return JsonDocument.Parse(text);
    }

    private Uri Url(string path) => new(options.QdrantUrl!.TrimEnd('/') + path);

    private void Authorize(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(options.QdrantApiKey))
        {
            request.Headers.Add("api-key", options.QdrantApiKey);
        }
    }
}
