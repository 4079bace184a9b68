namespace Vox.MediaWorker.Calls;

/// <summary>Latency of one bot response, in milliseconds (null when the stage did not happen, e.g. the greeting has no STT).</summary>
public sealed record TurnMetrics
{
    /// <summary>Which response (0 is the greeting).</summary>
    public long TurnId { get; init; }

    /// <summary>From the caller's speech end to the end-of-turn decision.</summary>
    public double? EndOfUtteranceDelayMs { get; init; }

    /// <summary>From asking the STT to finalise to its final transcript.</summary>
    public double? SttFinalDelayMs { get; init; }

    /// <summary>From the request to the responder's first text.</summary>
    public double? LlmTimeToFirstTokenMs { get; init; }

    /// <summary>From the first sentence sent to the TTS to its first audio.</summary>
    public double? TtsTimeToFirstByteMs { get; init; }

    /// <summary>From the caller's speech end to the first bot audio frame sent.</summary>
    public double? VoiceToVoiceMs { get; init; }

    /// <summary>True when the caller cut this response off.</summary>
    public bool Interrupted { get; init; }

    /// <summary>From the caller's barge-in onset to the last bot frame sent, when interrupted.</summary>
    public double? BargeInStopMs { get; init; }
}
