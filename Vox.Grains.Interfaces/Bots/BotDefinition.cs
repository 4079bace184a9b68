namespace Vox.Grains.Bots;

/// <summary>What a bot is: its prompt, voice, providers, tools and limits.</summary>
public sealed record BotDefinition
{
    /// <summary>Display name (required, 1-200 characters).</summary>
    public required string Name { get; init; }

    /// <summary>System prompt given to the language model.</summary>
    public string SystemPrompt { get; init; } = "";

    /// <summary>What the bot says when the call connects; none means it waits for the caller.</summary>
    public string? FirstMessage { get; init; }

    /// <summary>BCP 47 language of the conversation.</summary>
    public string Language { get; init; } = "en-US";

    /// <summary>Speech-to-text provider and model.</summary>
    public ProviderSelection Stt { get; init; } = new() { Provider = "offline" };

    /// <summary>Language model provider and model; <c>offline</c> selects the scripted responder.</summary>
    public ProviderSelection Llm { get; init; } = new() { Provider = "offline" };

    /// <summary>Text-to-speech provider and voice.</summary>
    public ProviderSelection Tts { get; init; } = new() { Provider = "offline" };

    /// <summary>Tools the bot may call.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>Turn-taking and barge-in thresholds.</summary>
    public TurnTakingSettings TurnTaking { get; init; } = new();

    /// <summary>Call duration and idle limits.</summary>
    public CallLimits Limits { get; init; } = new();

    /// <summary>
    /// Phrases callers are likely to say (names, products, "cancel my subscription"); speech recognisers favour them:
    /// the offline recogniser builds a small language model from them, together with the scripted replies' keywords.
    /// </summary>
    public IReadOnlyList<string> SpeechHints { get; init; } = [];

    /// <summary>Replies the offline responder picks from by keyword.</summary>
    public IReadOnlyList<ScriptedReply> ScriptedReplies { get; init; } = [];

    /// <summary>Short facts the offline responder may answer from (matched by words they share with the question).</summary>
    public IReadOnlyList<string> KnowledgeSnippets { get; init; } = [];

    /// <summary>What the bot says before it hangs up after a goodbye (offline responder).</summary>
    public string? FarewellMessage { get; init; }

    /// <summary>Answering-machine detection on outbound calls.</summary>
    public VoicemailSettings Voicemail { get; init; } = new();

    /// <summary>Knowledge base the bot searches, if any.</summary>
    public string? KnowledgeBaseId { get; init; }

    /// <summary>Source addresses (IPs or CIDR ranges) WebSocket ingress accepts calls to this bot from; empty accepts any.</summary>
    public IReadOnlyList<string> IngressAllowedIps { get; init; } = [];

    /// <summary>Keypad digits the bot acts on (DTMF from carriers); digits not listed are ignored.</summary>
    public IReadOnlyList<DtmfAction> DtmfActions { get; init; } = [];

    /// <summary>Post-call analysis through the bot's language model, if any.</summary>
    public PostCallAnalysisSettings? Analysis { get; init; }

    /// <summary>Free-form labels for the operator.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
