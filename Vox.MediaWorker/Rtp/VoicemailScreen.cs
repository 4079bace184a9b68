using Vox.MediaWorker.Audio;
using Microsoft.Extensions.Logging;
using Vox.Grains.Bots;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Providers.Tts;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Rtp;

/// <summary>
/// Screens an answered outbound call before the bot starts: listens with an <see cref="AnsweringMachineDetector"/>;
/// a person gets the bot; a machine gets the bot's action: hang up, or wait for the beep (or the greeting's end) and
/// leave the bot's message, then hang up.
/// </summary>
public sealed partial class VoicemailScreen(ProviderFactory providers, TimeProvider time, ILogger<VoicemailScreen> logger)
{
    /// <summary>Listens on <paramref name="session"/>; true when a person answered (run the call), false when a machine did (handled here).</summary>
    public async Task<bool> ScreenAsync(RtpSession session, BotRuntimeConfig bot, CancellationToken cancellationToken)
    {
        var settings = bot.Definition.Voicemail;
        var detector = new AnsweringMachineDetector(settings.MaxGreetingMs);
        session.Listen();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                switch (await session.ReceiveAsync(limit.Token))
                {
                    case TransportAudio audio:
                        var verdict = detector.Process(audio.Samples);
                        if (verdict == AmdVerdict.Human)
                        {
                            LogVerdict(logger, session.CallId, "person");
                            return true;
                        }

                        // A machine: hang up at once, or leave the message after the beep (or once the greeting has stopped).
                        if (verdict == AmdVerdict.Machine && (settings.Action != "leave_message" || detector.BeepHeard || detector.SilenceMs >= 1500))
                        {
                            LogVerdict(logger, session.CallId, detector.BeepHeard ? "machine (beep)" : "machine");
                            if (settings.Action == "leave_message" && !string.IsNullOrWhiteSpace(settings.Message))
                            {
                                await SpeakAsync(session, bot, settings.Message, limit.Token);
                            }

                            return false;
                        }

                        break;
                    case TransportStop:
                        return false;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Undecided for too long (a machine with no beep and no end): treat as a machine.
            return false;
        }
    }

    private async Task SpeakAsync(RtpSession session, BotRuntimeConfig config, string message, CancellationToken cancellationToken)
    {
        var bot = config.Definition;
        await using var set = await providers.CreateAsync(config, AudioEncoding.Pcm16, cancellationToken);
        var tts = set.Tts;
        var pending = new List<short>();
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20), time);
        await foreach (var chunk in tts.SynthesizeAsync(message, new TextToSpeechRequest(RtpCodec.SampleRate, bot.Tts.Voice, bot.Language), cancellationToken))
        {
            pending.AddRange(chunk.Samples.ToArray());
            while (pending.Count >= RtpCodec.SamplesPerPacket)
            {
                await session.SendAudioAsync(pending.GetRange(0, RtpCodec.SamplesPerPacket).ToArray(), cancellationToken);
                pending.RemoveRange(0, RtpCodec.SamplesPerPacket);
                await pace.WaitForNextTickAsync(cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: answered by a {Verdict}")]
    private static partial void LogVerdict(ILogger logger, string callId, string verdict);
}
