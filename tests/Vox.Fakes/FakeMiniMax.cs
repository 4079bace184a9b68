using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vox.Fakes;

/// <summary>
/// Fake MiniMax T2A v2: <c>POST /v1/t2a_v2</c> with <c>stream:true</c> answers <c>data:</c> blocks whose
/// <c>data.audio</c> is hex PCM (a tone per word at <c>audio_setting.sample_rate</c>); the last block carries
/// <c>extra_info</c> and repeats the whole audio, as MiniMax does. Errors use the <c>base_resp</c> envelope.
/// </summary>
public sealed class FakeMiniMax
{
    /// <summary>The key the fake accepts.</summary>
    public string ApiKey { get; set; } = "mm-fake-minimax-key";

    /// <summary>Delay before the first audio.</summary>
    public TimeSpan FirstByteLatency { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Faults per request.</summary>
    public FaultQueue Faults { get; } = new();

    /// <summary>Sample rates asked for, in order.</summary>
    public ConcurrentQueue<int> SampleRates { get; } = new();

    internal void Map(WebApplication app) => app.MapPost("/v1/t2a_v2", SynthesizeAsync);

    private async Task SynthesizeAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            await context.Response.WriteAsJsonAsync(new { base_resp = new { status_code = 1004, status_msg = "login fail: Please carry the API secret key in the 'Authorization' field" } }).ConfigureAwait(false);
            return;
        }

        using var doc = await JsonDocument.ParseAsync(context.Request.Body).ConfigureAwait(false);
        var text = doc.RootElement.GetProperty("text").GetString() ?? "";
        var rate = doc.RootElement.GetProperty("audio_setting").GetProperty("sample_rate").GetInt32();
        SampleRates.Enqueue(rate);
        var fault = Faults.Next();
        if (fault is FakeFault.Status429 or FakeFault.Status500)
        {
            context.Response.StatusCode = fault == FakeFault.Status429 ? 429 : 500;
            await context.Response.WriteAsJsonAsync(new { base_resp = new { status_code = fault == FakeFault.Status429 ? 1002 : 1000, status_msg = "fault injected" } }).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await Task.Delay(FirstByteLatency, context.RequestAborted).ConfigureAwait(false);
        var all = new List<byte>();
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            if (fault == FakeFault.DropMidStream && i == Math.Max(1, words.Length / 2))
            {
                context.Abort();
                return;
            }

            if (fault == FakeFault.MalformedChunk && i == 1)
            {
                await context.Response.WriteAsync("data: {\"data\":{\"audio\":\"zz\n\n").ConfigureAwait(false);
                await context.Response.Body.FlushAsync().ConfigureAwait(false);
                return;
            }

            var audio = FakeAudio.Tone(rate, FakeAudio.WordMs, muLaw: false);
            all.AddRange(audio);
            await WriteAsync(context, new { data = new { audio = Convert.ToHexString(audio).ToLowerInvariant(), status = 1, ced = "" }, trace_id = "fake", base_resp = new { status_code = 0, status_msg = "" } }).ConfigureAwait(false);
        }

        await WriteAsync(context, new
        {
            data = new { audio = Convert.ToHexString(all.ToArray()).ToLowerInvariant(), status = 2, ced = "" },
            extra_info = new { audio_length = all.Count * 500 / rate, audio_sample_rate = rate, audio_size = all.Count, bitrate = 128000, audio_format = "pcm", audio_channel = 1, usage_characters = text.Length },
            trace_id = "fake",
            base_resp = new { status_code = 0, status_msg = "success" },
        }).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, object block)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(block) + "\n\n").ConfigureAwait(false);
        await context.Response.Body.FlushAsync().ConfigureAwait(false);
    }
}
