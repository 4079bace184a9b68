using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Native;

namespace Vox.MediaWorker.Providers.Tts.Offline;

/// <summary>The offline voice: espeak-ng, streamed word by word and resampled to the rate the call needs.</summary>
/// <remarks>
/// Each chunk that ends a word carries that word (with its punctuation) in <see cref="SpeechAudioChunk.Text"/>; other
/// chunks carry <c>null</c>, so joining the texts of the chunks played so far gives what the caller heard.
/// The voice is the request's (an espeak-ng voice such as <c>en-us</c> or <c>en-gb+f3</c>), else its language's, else
/// <see cref="EspeakOptions.DefaultVoice"/>; speed 1.0 is espeak-ng's 175 words per minute.
/// </remarks>
public sealed class EspeakTextToSpeech(EspeakEngine engine) : ITextToSpeech
{
    /// <inheritdoc />
    public string Name => "offline";

    /// <inheritdoc />
    public async IAsyncEnumerable<SpeechAudioChunk> SynthesizeAsync(
        string text, TextToSpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.SampleRate, nameof(request));
        if (!double.IsFinite(request.Speed) || request.Speed <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Speed, "Speed must be a positive number (1.0 is normal).");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }

        // Designed before synthesis starts, so a rate the resampler cannot do fails without touching the engine.
        var resampler = new Resampler(engine.SampleRate, request.SampleRate);
        var segments = Channel.CreateUnbounded<EspeakSegment>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var synthesis = new EspeakSynthesis(text, engine.SampleRate, segments.Writer, stop.Token);
        string?[] voices = [request.Voice, request.Language.ToLowerInvariant()];
        int wordsPerMinute = (int)Math.Round(EspeakNative.RateNormal * request.Speed);
        Task producer = ProduceAsync(synthesis, voices, wordsPerMinute, segments.Writer, stop.Token);
        try
        {
            // Text of a segment too short to yield a resampled sample moves on to the next chunk.
            string? carried = null;
            await foreach (EspeakSegment segment in segments.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // Synthesis runs far ahead of a real-time reader, so the reader rarely waits (where the token is seen).
                cancellationToken.ThrowIfCancellationRequested();
                var samples = new short[resampler.GetOutputLength(segment.Samples.Length)];
                int written = resampler.Process(segment.Samples, samples);
                carried = Join(carried, segment.Text);
                if (written > 0)
                {
                    yield return new SpeechAudioChunk(samples, request.SampleRate, carried);
                    carried = null;
                }
            }

            await producer.ConfigureAwait(false);
            var tail = new short[resampler.FlushLength];
            int flushed = resampler.Flush(tail);
            if (flushed > 0 || carried is not null)
            {
                yield return new SpeechAudioChunk(tail.AsMemory(0, flushed), request.SampleRate, carried);
            }
        }
        finally
        {
            // The caller stopped listening (barge-in, cancellation): espeak-ng stops at its next buffer.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ProduceAsync(EspeakSynthesis synthesis, string?[] voices, int wordsPerMinute, ChannelWriter<EspeakSegment> writer, CancellationToken cancellationToken)
    {
        try
        {
            await engine.SynthesizeAsync(synthesis, voices, wordsPerMinute, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Errors surface from awaiting this task once the reader has drained what was produced.
            writer.TryComplete();
        }
    }

    private static string? Join(string? first, string? second) =>
        first is null ? second : second is null ? first : $"{first} {second}";
}
