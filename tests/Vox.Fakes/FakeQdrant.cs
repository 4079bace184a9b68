using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vox.Fakes;

/// <summary>
/// Fake Qdrant REST API (the subset a vector index uses): create/get collection, payload index, upsert points,
/// search with a <c>must</c>/<c>match</c> filter (cosine), delete points by filter.
/// </summary>
public sealed class FakeQdrant
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, (float[] Vector, Dictionary<string, string> Payload)>> _collections = new();

    /// <summary>Points stored in a collection.</summary>
    public int Count(string collection) => _collections.TryGetValue(collection, out var points) ? points.Count : 0;

    /// <summary>Filters of the searches received (as JSON).</summary>
    public ConcurrentQueue<string> SearchFilters { get; } = new();

    internal void Map(WebApplication app)
    {
        app.MapGet("/collections/{name}", (string name) => _collections.ContainsKey(name)
            ? Results.Json(new { result = new { status = "green" }, status = "ok" })
            : Results.Json(new { status = new { error = $"Collection `{name}` doesn't exist!" } }, statusCode: 404));
        app.MapPut("/collections/{name}", (string name) =>
        {
            _collections.TryAdd(name, new());
            return Results.Json(new { result = true, status = "ok" });
        });
        app.MapPut("/collections/{name}/index", () => Results.Json(new { result = new { status = "acknowledged" }, status = "ok" }));
        app.MapPut("/collections/{name}/points", async (string name, HttpRequest request) =>
        {
            using var doc = await JsonDocument.ParseAsync(request.Body);
            var points = _collections.GetOrAdd(name, _ => new());
            foreach (var p in doc.RootElement.GetProperty("points").EnumerateArray())
            {
                points[p.GetProperty("id").GetString()!] = (
                    p.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray(),
                    p.GetProperty("payload").EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetString() ?? ""));
            }

            return Results.Json(new { result = new { status = "completed" }, status = "ok" });
        });
        app.MapPost("/collections/{name}/points/search", async (string name, HttpRequest request) =>
        {
            using var doc = await JsonDocument.ParseAsync(request.Body);
            var root = doc.RootElement;
            var vector = root.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var limit = root.GetProperty("limit").GetInt32();
            var must = Must(root);
            SearchFilters.Enqueue(root.TryGetProperty("filter", out var f) ? f.GetRawText() : "");
            var points = _collections.TryGetValue(name, out var p) ? p : new();
            var result = points
                .Where(x => must.All(m => x.Value.Payload.TryGetValue(m.Key, out var v) && v == m.Value))
                .Select(x => (x.Key, x.Value.Payload, Score: Cosine(vector, x.Value.Vector)))
                .OrderByDescending(x => x.Score).Take(limit)
                .Select(x => new { id = x.Key, version = 0, score = x.Score, payload = x.Payload });
            return Results.Json(new { result, status = "ok", time = 0.001 });
        });
        app.MapPost("/collections/{name}/points/delete", async (string name, HttpRequest request) =>
        {
            using var doc = await JsonDocument.ParseAsync(request.Body);
            var must = Must(doc.RootElement);
            if (_collections.TryGetValue(name, out var points))
            {
                foreach (var key in points.Where(x => must.All(m => x.Value.Payload.GetValueOrDefault(m.Key) == m.Value)).Select(x => x.Key).ToList())
                {
                    points.TryRemove(key, out _);
                }
            }

            return Results.Json(new { result = new { status = "completed" }, status = "ok" });
        });
    }

    private static List<KeyValuePair<string, string>> Must(JsonElement root) =>
        root.TryGetProperty("filter", out var filter) && filter.TryGetProperty("must", out var must)
            ? must.EnumerateArray().Select(m => new KeyValuePair<string, string>(m.GetProperty("key").GetString()!, m.GetProperty("match").GetProperty("value").GetString()!)).ToList()
            : [];

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
}
