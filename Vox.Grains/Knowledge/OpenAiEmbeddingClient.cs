using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vox.Grains.Knowledge;

/// <summary>Embeddings through an OpenAI-compatible <c>POST {base}/embeddings</c> endpoint (OpenAI, OpenRouter, Ollama, vLLM...).</summary>
public sealed class OpenAiEmbeddingClient(HttpClient http, KnowledgeOptions options) : IEmbeddingClient
{
    private const int Batch = 64;

    /// <inheritdoc />
    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new List<float[]>(texts.Count);
        foreach (var batch in texts.Chunk(Batch))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, options.EmbeddingsBaseUrl!.TrimEnd('/') + "/embeddings")
            {
                Content = JsonContent.Create(new { model = options.EmbeddingsModel, input = batch }),
            };
            var key = string.IsNullOrWhiteSpace(options.EmbeddingsApiKey) ? Environment.GetEnvironmentVariable("OPENAI_API_KEY") : options.EmbeddingsApiKey;
            if (!string.IsNullOrWhiteSpace(key))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new HttpRequestException($"embeddings endpoint answered {(int)response.StatusCode}: {(detail.Length > 200 ? detail[..200] : detail)}", null, response.StatusCode);
            }

            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            var data = doc.RootElement.GetProperty("data").EnumerateArray()
                .OrderBy(d => d.TryGetProperty("index", out var i) ? i.GetInt32() : 0)
                .Select(d => d.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray())
                .ToList();
            if (data.Count != batch.Length)
            {
                throw new InvalidDataException($"the embeddings endpoint returned {data.Count} vectors for {batch.Length} texts");
            }

            vectors.AddRange(data);
        }

        return vectors;
    }
}
