using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Fakes;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Knowledge;
using Vox.Grains.Secrets;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Pipeline.Processors;
using Vox.MediaWorker.Providers.Deepgram;
using Vox.MediaWorker.Providers.ElevenLabs;
using Vox.MediaWorker.Providers.MiniMax;
using Vox.MediaWorker.Providers.OpenAi;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Tests.Audio;
using Vox.MediaWorker.Tests.Pipeline;
using Vox.MediaWorker.Tools;
using Vox.Testing;

namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>
/// A call as <c>CallSession</c> builds it (VAD -> STT -> responder with tools -> sentences -> TTS -> paced output) with the
/// real Deepgram, OpenAI-compatible and ElevenLabs/MiniMax clients against the local fakes, the tenant's keys coming
/// from its secrets, every log line captured.
/// </summary>
internal sealed class CloudCallHarness : IAsyncDisposable
{
    public const string TenantId = "ten_cloud";

    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(60));
    private Task _running = Task.CompletedTask;
    private Task _transcripts = Task.CompletedTask;

    private CloudCallHarness(FakeProviderServer fakes, CapturingLoggerProvider logs, ILoggerFactory loggers, TestHttpClientFactory http, WordToneTts offline)
    {
        Fakes = fakes;
        Logs = logs;
        Loggers = loggers;
        Http = http;
        OfflineVoice = offline;
    }

    public FakeProviderServer Fakes { get; }

    public CapturingLoggerProvider Logs { get; }

    public ILoggerFactory Loggers { get; }

    public TestHttpClientFactory Http { get; }

    public WordToneTts OfflineVoice { get; }

    public CallContext Call { get; private set; } = null!;

    public RecordingTransport Transport { get; private set; } = null!;

    public RecordingCallControl Control { get; private set; } = null!;

    public ToolRuntime Tools { get; private set; } = null!;

    public ProviderSet Providers { get; private set; } = null!;

    public CallPipeline Pipeline { get; private set; } = null!;

    public ISpeechToTextSession Stt { get; private set; } = null!;

    public TaskCompletionSource<string> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationToken Token => _cts.Token;

    /// <summary>Fake keys, which must never show up in a log line or a call record.</summary>
    public static IReadOnlyDictionary<string, string> Keys { get; } = new Dictionary<string, string>
    {
        ["deepgram"] = "dg-SECRET-7f3a9c",
        ["openai"] = "sk-SECRET-b81e22",
        ["elevenlabs"] = "xi-SECRET-44d0aa",
        ["minimax"] = "mm-SECRET-91c7e5",
        ["crm_token"] = "crm-SECRET-5e6f70",
    };

    public static BotDefinition Bot(Func<BotDefinition, BotDefinition>? change = null)
    {
        var bot = new BotDefinition
        {
            Name = "Cloud",
            SystemPrompt = "You are a helpful receptionist.",
            Stt = new ProviderSelection { Provider = "deepgram" },
            Llm = new ProviderSelection { Provider = "openai", Model = "gpt-fake" },
            Tts = new ProviderSelection { Provider = "elevenlabs", Voice = "voice-main" },
            TurnTaking = new TurnTakingSettings { EndOfTurnSilenceMs = 500 },
        };
        return change is null ? bot : change(bot);
    }

    public static async Task<CloudCallHarness> StartAsync(BotDefinition bot, Action<FakeProviderServer>? configure = null, IKnowledgeSearch? knowledge = null,
        int sampleRate = 16000, string serializer = "vox", string elevenLabsTransport = "websocket")
    {
        var fakes = await FakeProviderServer.StartAsync();
        fakes.Deepgram.ApiKey = Keys["deepgram"];
        fakes.OpenAi.ApiKey = Keys["openai"];
        fakes.ElevenLabs.ApiKey = Keys["elevenlabs"];
        fakes.MiniMax.ApiKey = Keys["minimax"];
        configure?.Invoke(fakes);
        var logs = new CapturingLoggerProvider();
        var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var harness = new CloudCallHarness(fakes, logs, loggers, new TestHttpClientFactory(), new WordToneTts());
        await harness.BuildAsync(bot, knowledge, sampleRate, serializer, elevenLabsTransport);
        return harness;
    }

    private async Task BuildAsync(BotDefinition bot, IKnowledgeSearch? knowledge, int sampleRate, string serializer, string elevenLabsTransport)
    {
        var llm = new LanguageModelOptions { ConnectTimeoutMs = 2_000, FirstTokenTimeoutMs = 2_000, RetryDelayMs = 20 };
        llm.Endpoints["openai"].BaseUrl = Fakes.BaseUrl + "v1";
        var services = new ProviderFactoryServices(
            Http,
            Options.Create(new DeepgramOptions { BaseUrl = Fakes.WebSocketUrl, ReconnectDelayMs = 20, KeepAliveIntervalMs = 300 }),
            Options.Create(llm),
            Options.Create(new ElevenLabsOptions { BaseUrl = Fakes.BaseUrl.ToString(), Transport = elevenLabsTransport }),
            Options.Create(new MiniMaxOptions { BaseUrl = Fakes.BaseUrl.ToString() }),
            new StaticSecrets(new Dictionary<string, IReadOnlyDictionary<string, string>> { [TenantId] = Keys }),
            knowledge ?? new ScriptedKnowledge(TenantId, "kb_none"),
            TimeProvider.System,
            Loggers);
        var factory = new ProviderFactory([], [OfflineVoice], services, Loggers.CreateLogger<ProviderFactory>());
        var config = new BotRuntimeConfig("bot_cloud", TenantId, 1, bot, DateTimeOffset.UtcNow);
        var encoding = Vox.MediaWorker.Providers.TransportEncodings.For(serializer);
        Providers = await factory.CreateAsync(config, encoding, Token);
        Call = new CallContext("call_cloud", config, sampleRate, TimeProvider.System);
        Transport = new RecordingTransport { Clock = () => Call.Clock.Now };
        Control = new RecordingCallControl(() => Call.Clock.Now);
        Tools = factory.CreateTools(Call, Providers, Control);
        Stt = await Providers.Stt.StartAsync(new SpeechToTextRequest(sampleRate, TransportEncoding: encoding), Token);
        var sttProcessor = new SttProcessor(Call, Stt, Loggers.CreateLogger<SttProcessor>());
        Pipeline = new CallPipeline(
            [new VadProcessor(Call, Loggers.CreateLogger<VadProcessor>()), sttProcessor,
             new ResponderProcessor(Call, Providers.Llm, Loggers.CreateLogger<ResponderProcessor>(), Tools),
             new SentenceSplitter(Loggers.CreateLogger<SentenceSplitter>()),
             new TtsProcessor(Call, Providers.Tts, Loggers.CreateLogger<TtsProcessor>()),
             new OutputProcessor(Call, Transport, null, Loggers.CreateLogger<OutputProcessor>())],
            (frame, _) =>
            {
                if (frame is EndFrame end)
                {
                    Ended.TrySetResult(end.Reason);
                }

                return ValueTask.CompletedTask;
            });
        _running = Pipeline.RunAsync(Token);
        _transcripts = sttProcessor.ReadTranscriptsAsync(Token);
    }

    /// <summary>Speech from a fixture clip (from 1.0 s, <paramref name="speechMs"/> long) at the pipeline rate.</summary>
    public static async Task<short[]> SpeechAsync(int sampleRate, int speechMs = 1200)
    {
        var file = sampleRate == 8000 ? "utt01_8k.wav" : "utt01_16k.wav";
        var samples = (await WavFile.ReadAsync(Path.Combine(FixtureFiles.AudioDirectory, file), CancellationToken.None)).Samples.ToArray();
        return samples.AsSpan(sampleRate, sampleRate * speechMs / 1000).ToArray();
    }

    /// <summary>Streams <paramref name="speech"/> then silence in real time, 20 ms per frame.</summary>
    public async Task SpeakAsync(short[] speech, TimeSpan silenceAfter)
    {
        var rate = Call.SampleRate;
        var frame = rate / 50;
        var pacer = new AudioPacer(TimeProvider.System);
        var total = speech.Length + (int)(silenceAfter.TotalSeconds * rate);
        for (var offset = 0; offset < total; offset += frame)
        {
            await pacer.WaitForNextFrameAsync(Token);
            var chunk = new short[frame];
            if (offset < speech.Length)
            {
                speech.AsSpan(offset, Math.Min(frame, speech.Length - offset)).CopyTo(chunk);
            }

            await Pipeline.PushAsync(new InputAudioFrame(chunk, rate, TimeSpan.FromSeconds(offset / (double)rate)), Token);
        }
    }

    /// <summary>Waits until the transcript has <paramref name="count"/> bot turns.</summary>
    public async Task WaitForBotTurnsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Call.Transcript.Turns.Count(t => t.Role == "assistant") < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {Call.Transcript.Turns.Count(t => t.Role == "assistant")} of {count} bot turns; transcript: " +
                    string.Join(" | ", Call.Transcript.Turns.Select(t => $"{t.Role}: {t.Text}")) + "\nlogs:\n" + string.Join("\n", Logs.Lines.TakeLast(30)));
            }

            await Task.Delay(20, Token);
        }
    }

    /// <summary>The call record's JSON as CallSession builds it (turns, metrics, tool events).</summary>
    public string RecordJson() => JsonSerializer.Serialize(new
    {
        transcript = Call.Transcript.Turns,
        metrics = new { turns = Call.Metrics.Turns, usage = Call.Metrics.Usage, tools = Tools.Events },
    }, VoxJson.Options);

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await Task.WhenAll(_running, _transcripts);
        }
        catch (OperationCanceledException)
        {
        }

        await Stt.DisposeAsync();
        await Providers.DisposeAsync();
        await Fakes.DisposeAsync();
        Http.Dispose();
        Loggers.Dispose();
        _cts.Dispose();
    }
}
