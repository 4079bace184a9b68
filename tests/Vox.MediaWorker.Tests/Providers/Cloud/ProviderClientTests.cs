using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Fakes;
using Vox.Grains.Bots;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Providers.Deepgram;
using Vox.MediaWorker.Providers.ElevenLabs;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Providers.MiniMax;
using Vox.MediaWorker.Providers.OpenAi;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Providers.Tts;

namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>Each provider client against its fake, outside a pipeline.</summary>
public sealed class ProviderClientTests : IAsyncLifetime
{
    private FakeProviderServer _fakes = null!;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public async Task InitializeAsync() => _fakes = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _fakes.DisposeAsync();
        _http.Dispose();
    }

    private OpenAiCompatibleLanguageModel Model(string? key = null, params string[] fallbacks) => new("openai",
        new OpenAiEndpointOptions { BaseUrl = _fakes.BaseUrl + "v1", DefaultModel = "gpt-fake", PromptCache = "openai" },
        key ?? _fakes.OpenAi.ApiKey, fallbacks, _http,
        new LanguageModelOptions { ConnectTimeoutMs = 1000, FirstTokenTimeoutMs = 500, RetryDelayMs = 10 }, TimeProvider.System, NullLogger.Instance);

    private static async Task<List<LanguageModelEvent>> CollectAsync(ILanguageModel model, LanguageModelRequest request)
    {
        var events = new List<LanguageModelEvent>();
        await foreach (var e in model.StreamAsync(request, CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }

    private static LanguageModelRequest Ask(string text) => new([new ChatMessage("system", "Be brief."), new ChatMessage("user", text)], [], CacheKey: "bot_1");

    [Fact]
    public async Task Openai_stream_joins_parallel_tool_call_fragments_per_index_and_reports_usage()
    {
        _fakes.OpenAi.FirstTokenLatency = TimeSpan.Zero;
        _fakes.OpenAi.Respond = _ => new FakeCompletion("Let me check.",
            [new FakeToolCall("lookup_order", """{"order":"4567","detail":{"items":true}}"""), new FakeToolCall("search_knowledge", """{"query":"returns policy for opened items"}""")]);
        var tools = new[] { new ToolDefinition { Name = "lookup_order", Type = "http", Parameters = JsonDocument.Parse("""{"type":"object"}""").RootElement } };

        var events = await CollectAsync(Model(), Ask("hi") with { Tools = tools });

        Assert.Equal("Let me check.", string.Concat(events.OfType<TextDelta>().Select(t => t.Text)));
        var calls = events.OfType<ToolCallRequest>().ToList();
        Assert.Equal(["lookup_order", "search_knowledge"], calls.Select(c => c.Name).ToArray());
        Assert.Equal("""{"order":"4567","detail":{"items":true}}""", calls[0].ArgumentsJson);
        Assert.Equal("""{"query":"returns policy for opened items"}""", calls[1].ArgumentsJson);
        Assert.NotEqual(calls[0].Id, calls[1].Id);
        Assert.Single(events.OfType<UsageReport>());
        var sent = Assert.Single(_fakes.OpenAi.Requests);
        Assert.True(sent.GetProperty("stream").GetBoolean());
        Assert.True(sent.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("bot_1", sent.GetProperty("prompt_cache_key").GetString());
        Assert.Equal("lookup_order", sent.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Openai_first_token_timeout_is_retried()
    {
        _fakes.OpenAi.FirstTokenLatency = TimeSpan.FromMilliseconds(900);
        var model = Model();
        var failure = await Assert.ThrowsAsync<LanguageModelException>(() => CollectAsync(model, Ask("hi")));
        Assert.Contains("first token", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, _fakes.OpenAi.Requests.Count);
    }

    [Fact]
    public async Task Openai_wrong_key_fails_at_once_with_a_clear_error_that_does_not_hold_the_key()
    {
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => CollectAsync(Model("sk-WRONG-secret"), Ask("hi")));
        Assert.Contains("401", failure.Message, StringComparison.Ordinal);
        // Not a LanguageModelException: a 401 is not retried nor sent to fallback models.
        Assert.DoesNotContain("sk-WRONG-secret", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openrouter_style_prompt_cache_marks_the_system_prompt()
    {
        _fakes.OpenAi.FirstTokenLatency = TimeSpan.Zero;
        var model = new OpenAiCompatibleLanguageModel("openrouter",
            new OpenAiEndpointOptions { BaseUrl = _fakes.BaseUrl + "v1", DefaultModel = "anthropic/claude", PromptCache = "anthropic" },
            _fakes.OpenAi.ApiKey, [], _http, new LanguageModelOptions(), TimeProvider.System, NullLogger.Instance);

        await CollectAsync(model, Ask("hi"));

        var system = Assert.Single(_fakes.OpenAi.Requests).GetProperty("messages")[0];
        Assert.Equal("ephemeral", system.GetProperty("content")[0].GetProperty("cache_control").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Deepgram_sends_keepalive_in_silence_and_mulaw_for_a_mulaw_transport()
    {
        var stt = new DeepgramSpeechToText(new DeepgramOptions { BaseUrl = _fakes.WebSocketUrl, KeepAliveIntervalMs = 200 }, _fakes.Deepgram.ApiKey, TimeProvider.System, NullLogger.Instance);
        await using var session = await stt.StartAsync(new SpeechToTextRequest(8000, TransportEncoding: AudioEncoding.MuLaw), CancellationToken.None);

        // Every 200 ms of silence: three arrive well within the deadline (a fixed 1.2 s wait counted only one on a busy machine).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_fakes.Deepgram.KeepAlives < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(_fakes.Deepgram.KeepAlives >= 3, $"{_fakes.Deepgram.KeepAlives} keepalives in 10 s of silence");
        var query = Assert.Single(_fakes.Deepgram.Queries);
        Assert.Contains("encoding=mulaw", query, StringComparison.Ordinal);
        Assert.Contains("sample_rate=8000", query, StringComparison.Ordinal);
        Assert.Contains("interim_results=true", query, StringComparison.Ordinal);
        Assert.Contains("utterance_end_ms=", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deepgram_malformed_messages_are_skipped_and_the_final_still_arrives() => await FinalAfterFinalizeAsync(malformed: true, split: false);

    [Fact]
    public async Task Deepgram_final_segments_before_the_closing_one_are_joined_into_the_turns_final() => await FinalAfterFinalizeAsync(malformed: false, split: true);

    private async Task FinalAfterFinalizeAsync(bool malformed, bool split)
    {
        if (malformed)
        {
            _fakes.Deepgram.Faults.Enqueue(FakeFault.MalformedChunk);
        }

        _fakes.Deepgram.SplitFinal = split;
        _fakes.Deepgram.MinVoicedMs = 100;
        _fakes.Deepgram.Say("book a table");
        var stt = new DeepgramSpeechToText(new DeepgramOptions { BaseUrl = _fakes.WebSocketUrl }, _fakes.Deepgram.ApiKey, TimeProvider.System, NullLogger.Instance);
        await using var session = await stt.StartAsync(new SpeechToTextRequest(16000), CancellationToken.None);
        var tone = new short[16000 / 2];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(5000 * Math.Sin(2 * Math.PI * 300 * i / 16000));
        }

        await session.SendAudioAsync(tone, CancellationToken.None);
        await session.FinalizeAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var e in session.ReadEventsAsync(timeout.Token))
        {
            if (e.IsFinal)
            {
                Assert.Equal("book a table", e.Text);
                Assert.Equal(TimeSpan.Zero, e.Start);
                Assert.True(e.SpeechFinal);
                return;
            }
        }
    }

    [Fact]
    public async Task Deepgram_wrong_key_fails_to_start()
    {
        var stt = new DeepgramSpeechToText(new DeepgramOptions { BaseUrl = _fakes.WebSocketUrl }, "dg-WRONG", TimeProvider.System, NullLogger.Instance);
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => stt.StartAsync(new SpeechToTextRequest(16000), CancellationToken.None));
    }

    [Fact]
    public async Task Elevenlabs_asks_for_ulaw_8000_for_twilio_and_pcm_at_the_rate_otherwise()
    {
        var options = new ElevenLabsOptions { BaseUrl = _fakes.BaseUrl.ToString() };
        _fakes.ElevenLabs.FirstByteLatency = TimeSpan.Zero;
        await using var twilio = new ElevenLabsTextToSpeech(options, _fakes.ElevenLabs.ApiKey, AudioEncoding.MuLaw, _http, NullLogger.Instance);
        await using var vonage = new ElevenLabsTextToSpeech(options, _fakes.ElevenLabs.ApiKey, AudioEncoding.Pcm16, _http, NullLogger.Instance);

        var ulaw = await SpeakAsync(twilio, "Hello there friend.", 8000);
        var pcm = await SpeakAsync(vonage, "Hello there friend.", 16000);

        // Each client also opens its next sentence's socket ahead, in the same format.
        Assert.Equal(["pcm_16000", "ulaw_8000"], _fakes.ElevenLabs.OutputFormats.Distinct().Order().ToArray());
        Assert.Equal(3 * 8000 * FakeAudio.WordMs / 1000, ulaw.Samples);
        Assert.Equal(3 * 16000 * FakeAudio.WordMs / 1000, pcm.Samples);
        // Alignment puts the words on the chunks that speak them.
        Assert.Equal("Hello there friend.", string.Join(' ', pcm.Words));
        Assert.True(ulaw.Peak > 4000, "the decoded mu-law tone is audible");
    }

    [Fact]
    public async Task Minimax_decodes_hex_pcm_without_replaying_the_closing_block()
    {
        _fakes.MiniMax.FirstByteLatency = TimeSpan.Zero;
        var tts = new MiniMaxTextToSpeech(new MiniMaxOptions { BaseUrl = _fakes.BaseUrl.ToString() }, _fakes.MiniMax.ApiKey, _http);

        var result = await SpeakAsync(tts, "One two three four.", 16000);

        Assert.Equal(16000, Assert.Single(_fakes.MiniMax.SampleRates));
        Assert.Equal(4 * 16000 * FakeAudio.WordMs / 1000, result.Samples);
    }

    [Fact]
    public async Task Minimax_error_envelope_and_malformed_block_are_clear_errors()
    {
        var wrongKey = new MiniMaxTextToSpeech(new MiniMaxOptions { BaseUrl = _fakes.BaseUrl.ToString() }, "mm-WRONG", _http);
        var auth = await Assert.ThrowsAsync<TextToSpeechException>(() => SpeakAsync(wrongKey, "Hi there.", 16000));
        Assert.Contains("1004", auth.Message, StringComparison.Ordinal);

        _fakes.MiniMax.Faults.Enqueue(FakeFault.MalformedChunk);
        var tts = new MiniMaxTextToSpeech(new MiniMaxOptions { BaseUrl = _fakes.BaseUrl.ToString() }, _fakes.MiniMax.ApiKey, _http);
        var malformed = await Assert.ThrowsAsync<TextToSpeechException>(() => SpeakAsync(tts, "One two three.", 16000));
        Assert.Contains("malformed", malformed.Message, StringComparison.Ordinal);
    }

    private static async Task<(int Samples, List<string> Words, int Peak)> SpeakAsync(ITextToSpeech tts, string text, int rate)
    {
        var samples = 0;
        var peak = 0;
        var words = new List<string>();
        await foreach (var chunk in tts.SynthesizeAsync(text, new TextToSpeechRequest(rate), CancellationToken.None))
        {
            Assert.Equal(rate, chunk.SampleRate);
            samples += chunk.Samples.Length;
            foreach (var s in chunk.Samples.Span)
            {
                peak = Math.Max(peak, Math.Abs((int)s));
            }

            if (chunk.Text is not null)
            {
                words.Add(chunk.Text);
            }
        }

        return (samples, words, peak);
    }
}
