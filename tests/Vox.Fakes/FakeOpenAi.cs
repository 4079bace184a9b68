using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vox.Fakes;

/// <summary>
/// Fake OpenAI-compatible API: <c>POST /v1/chat/completions</c> streaming SSE chunks exactly as documented (text deltas,
/// tool calls split into per-index argument fragments, <c>finish_reason</c>, a usage chunk with empty <c>choices</c>,
/// <c>[DONE]</c>), and <c>POST /v1/embeddings</c> with deterministic character-trigram vectors. Latency and faults are
/// injectable; <see cref="Respond"/> decides each answer from the request.
/// </summary>
public sealed class FakeOpenAi
{
    /// <summary>The key the fake accepts.</summary>
    public string ApiKey { get; set; } = "sk-fake-openai-key";

    /// <summary>Delay before the first token.</summary>
    public TimeSpan FirstTokenLatency { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Delay between later chunks.</summary>
    public TimeSpan InterChunkDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Faults per request.</summary>
    public FaultQueue Faults { get; } = new();

    /// <summary>Models that always answer 500 (to exercise fallback models).</summary>
    public HashSet<string> FailingModels { get; } = new(StringComparer.Ordinal);

    /// <summary>Chooses the answer to a request body; the default echoes the last user message.</summary>
    public Func<JsonElement, FakeCompletion> Respond { get; set; } = body => FakeCompletion.Say("You said: " + LastUser(body) + ".");

    /// <summary>Bodies of the chat requests received, in order.</summary>
    public ConcurrentQueue<JsonElement> Requests { get; } = new();

    /// <summary>The last user message of a request body.</summary>
    public static string LastUser(JsonElement body) =>
        body.GetProperty("messages").EnumerateArray().LastOrDefault(m => m.GetProperty("role").GetString() == "user") is { ValueKind: JsonValueKind.Object } m
            ? m.GetProperty("content").GetString() ?? "" : "";

    /// <summary>The tool messages of a request body.</summary>
    public static IReadOnlyList<string> ToolResults(JsonElement body) =>
        body.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "tool").Select(m => m.GetProperty("content").GetString() ?? "").ToList();

    internal void Map(WebApplication app)
    {
        app.MapPost("/v1/chat/completions", ChatAsync);
        app.MapPost("/v1/embeddings", EmbeddingsAsync);
    }

    private bool Authorized(HttpContext context) => context.Request.Headers.Authorization.ToString() == "Bearer " + ApiKey;

    private async Task ChatAsync(HttpContext context)
    {
        if (!Authorized(context))
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "Incorrect API key provided.", type = "invalid_request_error", code = "invalid_api_key" } }).ConfigureAwait(false);
            return;
        }

        using var doc = await JsonDocument.ParseAsync(context.Request.Body).ConfigureAwait(false);
        var body = doc.RootElement.Clone();
        Requests.Enqueue(body);
        var model = body.GetProperty("model").GetString() ?? "";
        var fault = Faults.Next();
        if (FailingModels.Contains(model) || fault == FakeFault.Status500)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "The server had an error while processing your request.", type = "server_error" } }).ConfigureAwait(false);
            return;
        }

        if (fault == FakeFault.Status429)
        {
            context.Response.StatusCode = 429;
            context.Response.Headers["retry-after"] = "0";
            await context.Response.WriteAsJsonAsync(new { error = new { message = "Rate limit reached.", type = "requests", code = "rate_limit_exceeded" } }).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..12];
        var completion = Respond(body);
        await WriteAsync(context, new { id, @object = "chat.completion.chunk", model, choices = new[] { new { index = 0, delta = new { role = "assistant", content = "" }, finish_reason = (string?)null } } }).ConfigureAwait(false);
        await Task.Delay(FirstTokenLatency, context.RequestAborted).ConfigureAwait(false);
        if (fault == FakeFault.DropMidStream)
        {
            context.Abort();
            return;
        }

        if (fault == FakeFault.MalformedChunk)
        {
            await context.Response.WriteAsync("data: {\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\n\n").ConfigureAwait(false);
            await context.Response.Body.FlushAsync().ConfigureAwait(false);
            return;
        }

        var first = true;
        foreach (var piece in Pieces(completion.Text ?? ""))
        {
            if (!first)
            {
                await Task.Delay(InterChunkDelay, context.RequestAborted).ConfigureAwait(false);
            }

            first = false;
            await WriteAsync(context, new { id, @object = "chat.completion.chunk", model, choices = new[] { new { index = 0, delta = new { content = piece }, finish_reason = (string?)null } } }).ConfigureAwait(false);
        }

        var calls = completion.ToolCalls ?? [];
        // Parallel calls: each call's first delta carries id and name, then argument fragments interleave across indices.
        for (var i = 0; i < calls.Count; i++)
        {
            await WriteAsync(context, ToolDelta(id, model, i, calls[i].Id ?? $"call_{i}_{id[^6..]}", calls[i].Name, "")).ConfigureAwait(false);
        }

        var fragments = calls.Select(c => Fragments(c.ArgumentsJson).ToList()).ToList();
        for (var step = 0; step < (fragments.Count == 0 ? 0 : fragments.Max(f => f.Count)); step++)
        {
            for (var i = 0; i < calls.Count; i++)
            {
                if (step < fragments[i].Count)
                {
                    await WriteAsync(context, ToolDelta(id, model, i, null, null, fragments[i][step])).ConfigureAwait(false);
                }
            }
        }

        await WriteAsync(context, new { id, @object = "chat.completion.chunk", model, choices = new[] { new { index = 0, delta = new { }, finish_reason = calls.Count > 0 ? "tool_calls" : "stop" } } }).ConfigureAwait(false);
        var prompt = body.GetProperty("messages").GetRawText().Length / 4;
        var cached = body.TryGetProperty("prompt_cache_key", out _) && Requests.Count > 1 ? prompt / 2 : 0;
        await WriteAsync(context, new
        {
            id,
            @object = "chat.completion.chunk",
            model,
            choices = Array.Empty<object>(),
            usage = new { prompt_tokens = prompt, completion_tokens = (completion.Text ?? "").Length / 4 + 1, total_tokens = prompt + 1, prompt_tokens_details = new { cached_tokens = cached } },
        }).ConfigureAwait(false);
        await context.Response.WriteAsync("data: [DONE]\n\n").ConfigureAwait(false);
    }

    private static object ToolDelta(string id, string model, int index, string? callId, string? name, string arguments) => new
    {
        id,
        @object = "chat.completion.chunk",
        model,
        choices = new[]
        {
            new
            {
                index = 0,
                delta = new
                {
                    tool_calls = new object[]
                    {
                        callId is null
                            ? new { index, function = new { arguments } }
                            : new { index, id = callId, type = "function", function = new { name, arguments } },
                    },
                },
                finish_reason = (string?)null,
            },
        },
    };

    private static IEnumerable<string> Pieces(string text)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i += 2)
        {
            yield return (i == 0 ? "" : " ") + string.Join(' ', words.Skip(i).Take(2));
        }
    }

    private static IEnumerable<string> Fragments(string json)
    {
        for (var i = 0; i < json.Length; i += 7)
        {
            yield return json.Substring(i, Math.Min(7, json.Length - i));
        }
    }

    private static async Task WriteAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n").ConfigureAwait(false);
        await context.Response.Body.FlushAsync().ConfigureAwait(false);
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        if (!Authorized(context))
        {
            context.Response.StatusCode = 401;
            return;
        }

        using var doc = await JsonDocument.ParseAsync(context.Request.Body).ConfigureAwait(false);
        var input = doc.RootElement.GetProperty("input");
        var texts = input.ValueKind == JsonValueKind.Array ? input.EnumerateArray().Select(e => e.GetString() ?? "").ToList() : [input.GetString() ?? ""];
        await context.Response.WriteAsJsonAsync(new
        {
            @object = "list",
            data = texts.Select((t, i) => new { @object = "embedding", index = i, embedding = Embed(t) }),
            model = doc.RootElement.TryGetProperty("model", out var m) ? m.GetString() : "fake-embedding",
            usage = new { prompt_tokens = texts.Sum(t => t.Length / 4), total_tokens = texts.Sum(t => t.Length / 4) },
        }).ConfigureAwait(false);
    }

    /// <summary>A deterministic 256-dimension unit vector of the text's character trigrams (words padded), like a tiny sub-word embedding.</summary>
    public static float[] Embed(string text)
    {
        var vector = new float[256];
        foreach (var word in text.ToLowerInvariant().Split(' ', ',', '.', '?', '!', ';', ':', '\n', '-', '(', ')', '"'))
        {
            if (word.Length < 3)
            {
                continue;
            }

            var padded = "^" + word + "$";
            for (var i = 0; i + 3 <= padded.Length; i++)
            {
                var hash = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(padded.Substring(i, 3))));
                vector[hash % 256] += 1;
            }
        }

        var norm = Math.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : vector.Select(v => (float)(v / norm)).ToArray();
    }
}
