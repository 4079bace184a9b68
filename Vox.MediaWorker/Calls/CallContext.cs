using Vox.Grains.Bots;

namespace Vox.MediaWorker.Calls;

/// <summary>What every processor of one call shares: who the call is, its bot, its clock, metrics, transcript and context.</summary>
public sealed class CallContext
{
    /// <summary>Creates the context of call <paramref name="callId"/> whose pipeline runs at <paramref name="sampleRate"/>.</summary>
    public CallContext(string callId, BotRuntimeConfig bot, int sampleRate, TimeProvider time)
    {
        CallId = callId;
        Bot = bot;
        SampleRate = sampleRate;
        Clock = new CallClock(time);
        Conversation = new ConversationContext(bot.Definition.SystemPrompt);
    }

    /// <summary>The call's id.</summary>
    public string CallId { get; }

    /// <summary>The bot configuration snapshot the call runs with.</summary>
    public BotRuntimeConfig Bot { get; }

    /// <summary>Sample rate of audio inside the pipeline (the transport's rate).</summary>
    public int SampleRate { get; }

    /// <summary>Time since the call started.</summary>
    public CallClock Clock { get; }

    /// <summary>Per-turn latency and usage.</summary>
    public CallMetrics Metrics { get; } = new();

    /// <summary>The transcript as heard.</summary>
    public CallTranscript Transcript { get; } = new();

    /// <summary>The responder's context.</summary>
    public ConversationContext Conversation { get; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, TimeSpan> _speechEnds = new();
    private long _lastTurnId;
    private volatile bool _botSpeaking;

    /// <summary>True while bot audio is being played out.</summary>
    public bool BotSpeaking
    {
        get => _botSpeaking;
        set => _botSpeaking = value;
    }

    private long _lastActivityTicks;

    /// <summary>Notes caller or bot activity now (for the idle timeout).</summary>
    public void MarkActivity() => Interlocked.Exchange(ref _lastActivityTicks, Clock.Now.Ticks);

    /// <summary>When the caller or the bot was last active.</summary>
    public TimeSpan LastActivity => TimeSpan.FromTicks(Interlocked.Read(ref _lastActivityTicks));

    /// <summary>A new response id (0 is reserved for the greeting).</summary>
    public long NextTurnId() => Interlocked.Increment(ref _lastTurnId);

    /// <summary>Remembers when the caller stopped speaking before response <paramref name="turnId"/>.</summary>
    public void RecordSpeechEnd(long turnId, TimeSpan at) => _speechEnds[turnId] = at;

    /// <summary>When the caller stopped speaking before response <paramref name="turnId"/>, if known.</summary>
    public TimeSpan? SpeechEndOf(long turnId) => _speechEnds.TryGetValue(turnId, out var at) ? at : null;

    /// <summary>Why the call ended, once it has (first reason wins).</summary>
    public string? EndReason { get; private set; }

    /// <summary>Records the end reason if none was recorded yet.</summary>
    public void SetEndReason(string reason) => EndReason ??= reason;
}
