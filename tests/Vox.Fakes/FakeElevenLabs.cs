using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vox.Fakes;

/// <summary>
/// Fake ElevenLabs: WebSocket <c>/v1/text-to-speech/{voice}/stream-input</c> (init message, text chunks, <c>flush</c>,
/// <c>{"text":""}</c> to close; answers <c>{"audio","alignment"}</c> per word then <c>{"isFinal":true}</c>) and HTTP
/// <c>POST /v1/text-to-speech/{voice}/stream</c> (chunked raw audio). Audio is a tone per word in the requested
/// <c>output_format</c> (<c>ulaw_8000</c> or <c>pcm_RATE</c>).
/// </summary>
public sealed class FakeElevenLabs
{
    /// <summary>The key the fake accepts (<c>xi-api-key</c> header, or <c>xi_api_key</c> in the first message).</summary>
    public string ApiKey { get; set; } = "xi-fake-elevenlabs-key";

    /// <summary>Delay before the first audio of a generation.</summary>
    public TimeSpan FirstByteLatency { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Faults per connection or request.</summary>
    public FaultQueue Faults { get; } = new();

    /// <summary>Voices that always break after their first word (to exercise the fallback voice).</summary>
    public HashSet<string> FailingVoices { get; } = new(StringComparer.Ordinal);

    /// <summary>Output formats asked for, in order.</summary>
    public ConcurrentQueue<string> OutputFormats { get; } = new();

    /// <summary>(voice, text) of each generation, in order.</summary>
    public ConcurrentQueue<(string Voice, string Text)> Spoken { get; } = new();

    internal void Map(WebApplication app)
    {
        app.Map("/v1/text-to-speech/{voice}/stream-input", StreamInputAsync);
        app.MapPost("/v1/text-to-speech/{voice}/stream", StreamAsync);
    }

    private async Task StreamInputAsync(HttpContext context, string voice)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var headerKey = context.Request.Headers["xi-api-key"].ToString();
        var format = context.Request.Query["output_format"].ToString();
        OutputFormats.Enqueue(format);
        var (rate, muLaw) = FakeAudio.ParseFormat(format);
        var fault = Faults.Next();
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        var first = true;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                using var doc = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                var root = doc.RootElement;
                if (first)
                {
                    first = false;
                    var bodyKey = root.TryGetProperty("xi_api_key", out var k) ? k.GetString() : null;
                    if (headerKey != ApiKey && bodyKey != ApiKey)
                    {
                        await SendAsync(socket, new { message = "Invalid API key", error = "invalid_api_key", code = 1008 }).ConfigureAwait(false);
                        await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "invalid_api_key", CancellationToken.None).ConfigureAwait(false);
                        return;
                    }

                    continue;
                }

                var chunk = root.GetProperty("text").GetString() ?? "";
                text.Append(chunk);
                var flush = root.TryGetProperty("flush", out var f) && f.ValueKind == JsonValueKind.True;
                if (chunk.Length == 0 || flush)
                {
                    var sentence = text.ToString().Trim();
                    text.Clear();
                    if (sentence.Length > 0)
                    {
                        Spoken.Enqueue((voice, sentence));
                        if (!await SpeakAsync(socket, voice, sentence, rate, muLaw, fault, context).ConfigureAwait(false))
                        {
                            return;
                        }
                    }
                }

                if (chunk.Length == 0)
                {
                    await SendAsync(socket, new { isFinal = true }).ConfigureAwait(false);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }

    private async Task<bool> SpeakAsync(WebSocket socket, string voice, string sentence, int rate, bool muLaw, FakeFault fault, HttpContext context)
    {
        await Task.Delay(FirstByteLatency, context.RequestAborted).ConfigureAwait(false);
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            if ((fault == FakeFault.DropMidStream || FailingVoices.Contains(voice)) && i == Math.Max(1, words.Length / 2))
            {
                // Let the client read what was sent: a reset discards data still unread in its socket buffer.
                await Task.Delay(100).ConfigureAwait(false);
                context.Abort();
                return false;
            }

            if (fault == FakeFault.MalformedChunk && i == 1)
            {
                await socket.SendAsync("{\"audio\": \"AAA"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            var chars = (words[i] + " ").Select(c => c.ToString()).ToArray();
            var step = FakeAudio.WordMs / chars.Length;
            await SendAsync(socket, new
            {
                audio = Convert.ToBase64String(FakeAudio.Tone(rate, FakeAudio.WordMs, muLaw)),
                isFinal = (bool?)null,
                alignment = new
                {
                    chars,
                    char_start_times_ms = chars.Select((_, j) => j * step).ToArray(),
                    chars_durations_ms = chars.Select(_ => step).ToArray(),
                },
            }).ConfigureAwait(false);
        }

        return true;
    }

    private async Task StreamAsync(HttpContext context, string voice)
    {
        if (context.Request.Headers["xi-api-key"].ToString() != ApiKey)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { detail = new { status = "invalid_api_key", message = "Invalid API key" } }).ConfigureAwait(false);
            return;
        }

        var format = context.Request.Query["output_format"].ToString();
        OutputFormats.Enqueue(format);
        var (rate, muLaw) = FakeAudio.ParseFormat(format);
        using var doc = await JsonDocument.ParseAsync(context.Request.Body).ConfigureAwait(false);
        var sentence = doc.RootElement.GetProperty("text").GetString() ?? "";
        Spoken.Enqueue((voice, sentence));
        var fault = Faults.Next();
        if (fault is FakeFault.Status429 or FakeFault.Status500)
        {
            context.Response.StatusCode = fault == FakeFault.Status429 ? 429 : 500;
            await context.Response.WriteAsJsonAsync(new { detail = new { status = "error", message = "fault injected" } }).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = muLaw ? "audio/basic" : "audio/pcm";
        await Task.Delay(FirstByteLatency, context.RequestAborted).ConfigureAwait(false);
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            if ((fault == FakeFault.DropMidStream || FailingVoices.Contains(voice)) && i == Math.Max(1, words.Length / 2))
            {
                context.Abort();
                return;
            }

            await context.Response.Body.WriteAsync(FakeAudio.Tone(rate, FakeAudio.WordMs, muLaw)).ConfigureAwait(false);
            await context.Response.Body.FlushAsync().ConfigureAwait(false);
        }
    }

    private static Task SendAsync(WebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }),
            WebSocketMessageType.Text, true, CancellationToken.None);
}
