using Vox.MediaWorker.Providers.Stt;

namespace Vox.MediaWorker.Pipeline.Frames;

/// <summary>Caller audio: mono PCM16 at <see cref="SampleRate"/>, <see cref="Timestamp"/> from call start (audio time).</summary>
public sealed record InputAudioFrame(ReadOnlyMemory<short> Samples, int SampleRate, TimeSpan Timestamp) : CallerFrame;

/// <summary>Bot audio to play: mono PCM16; <see cref="Text"/> is what it says when known; <see cref="TurnId"/> ties it to a response.</summary>
public sealed record OutputAudioFrame(ReadOnlyMemory<short> Samples, int SampleRate, long TurnId, string? Text = null) : DataFrame;

/// <summary>The caller started speaking (VAD onset, audio time).</summary>
public sealed record UserStartedSpeakingFrame(TimeSpan At) : CallerFrame;

/// <summary>The caller stopped speaking (VAD offset, audio time).</summary>
public sealed record UserStoppedSpeakingFrame(TimeSpan At) : CallerFrame;

/// <summary>The caller's turn is over: <see cref="SpeechEndedAt"/> when speech stopped, <see cref="DecidedAt"/> when the silence confirmed it.</summary>
public sealed record EndOfTurnFrame(TimeSpan SpeechEndedAt, TimeSpan DecidedAt) : CallerFrame
{
    /// <summary>When the caller's speech of this turn began.</summary>
    public TimeSpan UtteranceStart { get; init; }
}

/// <summary>Recognised caller speech.</summary>
public sealed record TranscriptionFrame(TranscriptEvent Transcript) : CallerFrame;

/// <summary>The caller's complete utterance for one turn, ready for the responder.</summary>
public sealed record UserTurnFrame(long TurnId, string Text, TimeSpan SpeechEndedAt, TimeSpan DecidedAt, TimeSpan TranscriptAt) : CallerFrame;

/// <summary>A piece of the bot's reply text as the responder streams it.</summary>
public sealed record ResponseTextFrame(long TurnId, string Text) : DataFrame;

/// <summary>The responder finished a reply; <see cref="EndCall"/> asks to hang up once it has been spoken.</summary>
public sealed record ResponseEndFrame(long TurnId, bool EndCall, string? EndReason = null) : DataFrame;

/// <summary>A sentence for the TTS to speak.</summary>
public sealed record SpeakFrame(long TurnId, string Text) : DataFrame;

/// <summary>A DTMF digit from the caller.</summary>
public sealed record DtmfFrame(char Digit, TimeSpan At) : CallerFrame;

/// <summary>Stop bot output now: the caller barged in at <see cref="OnsetAt"/> (audio time).</summary>
public sealed record InterruptionFrame(TimeSpan OnsetAt) : SystemFrame
{
    /// <summary>
    /// When set, completed once the interruption has passed the last processor. Each processor drops the data queued when
    /// the interruption reaches it, so a processor that answers at once (a keypad digit's reply) waits for this first.
    /// </summary>
    public TaskCompletionSource? Passed { get; init; }
}

/// <summary>Abort the call at once (transport closed, fatal error).</summary>
public sealed record CancelFrame(string Reason) : SystemFrame;

/// <summary>Hang up after everything queued before it has been played.</summary>
public sealed record EndFrame(string Reason) : ControlFrame;

/// <summary>Sent upstream by the output: bot audio for <see cref="TurnId"/> started playing at <see cref="At"/> (call time).</summary>
public sealed record BotStartedSpeakingFrame(long TurnId, TimeSpan At) : DataFrame;

/// <summary>Sent upstream by the output: the bot stopped, having played <see cref="PlayedText"/>; <see cref="Interrupted"/> when cut off.</summary>
public sealed record BotStoppedSpeakingFrame(long TurnId, TimeSpan At, string PlayedText, bool Interrupted) : DataFrame;

/// <summary>
/// Sent upstream to the responder (by the DTMF processor): transfer the call to <see cref="Destination"/> once the reply of
/// <see cref="TurnId"/> has played, as after a <c>transfer_call</c> tool.
/// </summary>
public sealed record TransferRequestFrame(long TurnId, string Destination) : ControlFrame;
