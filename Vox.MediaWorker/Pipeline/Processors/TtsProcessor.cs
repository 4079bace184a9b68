using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Providers.Tts;

namespace Vox.MediaWorker.Pipeline.Processors;

/// <summary>Speaks each sentence with the bot's TTS at the pipeline's rate, streaming audio on as it is produced.</summary>
public sealed class TtsProcessor(CallContext call, ITextToSpeech tts, ILogger<TtsProcessor> logger) : FrameProcessor("tts", logger)
{
    private long _measuredTurn = -1;

    /// <inheritdoc />
    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken)
    {
        if (frame is not SpeakFrame speak)
        {
            await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
            return;
        }

        var definition = call.Bot.Definition;
        var request = new TextToSpeechRequest(call.SampleRate, definition.Tts.Voice, definition.Language);
        var mark = call.Clock.Mark();
        var measure = speak.TurnId != _measuredTurn;
        _measuredTurn = speak.TurnId;
        call.Metrics.AddUsage($"{tts.Name}.tts_characters", speak.Text.Length);
        OutputAudioFrame? held = null;
        var wordsSeen = false;
        await foreach (var chunk in tts.SynthesizeAsync(speak.Text, request, cancellationToken).ConfigureAwait(false))
        {
            if (measure)
            {
                measure = false;
                var ttfb = call.Clock.MsSince(mark);
                call.Metrics.Update(speak.TurnId, m => m with { TtsTimeToFirstByteMs = ttfb });
            }

            wordsSeen |= chunk.Text is not null;
            if (held is not null)
            {
                await PushFrameAsync(held, FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
            }

            held = new OutputAudioFrame(chunk.Samples, chunk.SampleRate, speak.TurnId, chunk.Text);
        }

        if (held is not null)
        {
            // Without word timings the sentence counts as heard only once its last audio has been played.
            await PushFrameAsync(wordsSeen ? held : held with { Text = speak.Text }, FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
        }
    }
}
