using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Vox.MediaWorker.Providers.Tts;

/// <summary>
/// Speaks with the bot's voice and, when it fails (before or in the middle of a sentence), says the rest of the sentence
/// with the next voice in the list; when every voice failed, the last-resort engine says a clear error, so a call is
/// never silently dead.
/// </summary>
public sealed partial class FallbackTextToSpeech(
    IReadOnlyList<(ITextToSpeech Provider, string? Voice)> voices,
    ITextToSpeech? lastResort,
    string spokenError,
    ILogger logger) : ITextToSpeech
{
    /// <inheritdoc />
    public string Name => voices[0].Provider.Name;

    /// <summary>Failures that moved to the next voice (for metrics and tests).</summary>
    public int Fallbacks { get; private set; }

    /// <inheritdoc />
    public async IAsyncEnumerable<SpeechAudioChunk> SynthesizeAsync(string text, TextToSpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var remaining = text;
        foreach (var (provider, voice) in voices)
        {
            var spoken = 0;
            var enumerator = provider.SynthesizeAsync(remaining, voice is null ? request : request with { Voice = voice }, cancellationToken).GetAsyncEnumerator(cancellationToken);
            Exception? failure = null;
            try
            {
                while (true)
                {
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        failure = ex;
                        break;
                    }

                    spoken += enumerator.Current.Text?.Length ?? 0;
                    yield return enumerator.Current;
                }
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            if (failure is null)
            {
                yield break;
            }

            Fallbacks++;
            var done = failure is TextToSpeechException tts ? Math.Max(tts.CharsSpoken, spoken) : spoken;
            remaining = remaining[Math.Min(done, remaining.Length)..].TrimStart();
            LogVoiceFailed(logger, provider.Name, voice ?? request.Voice ?? "default", failure.GetType().Name, failure.Message, remaining.Length);
            if (remaining.Length == 0)
            {
                yield break;
            }
        }

        if (lastResort is null)
        {
            throw new TextToSpeechException("every voice failed and no last-resort voice is configured", 0);
        }

        LogSpokenError(logger, lastResort.Name);
        await foreach (var chunk in lastResort.SynthesizeAsync(spokenError, request with { Voice = null }, cancellationToken).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TTS {Provider} voice {Voice} failed ({ErrorType}: {Error}); {Remaining} characters left for the next voice")]
    private static partial void LogVoiceFailed(ILogger logger, string provider, string voice, string errorType, string error, int remaining);

    [LoggerMessage(Level = LogLevel.Error, Message = "Every TTS voice failed; {Provider} says the spoken error")]
    private static partial void LogSpokenError(ILogger logger, string provider);
}
