using System.Diagnostics;
using Vox.MediaWorker.Providers.Stt;

namespace Vox.MediaWorker.Tests.Providers;

/// <summary>What a recognition session produced for one clip fed in 20 ms chunks as fast as possible, then finalised (up to its final).</summary>
internal sealed record Transcription(IReadOnlyList<TranscriptEvent> Events, TimeSpan StartTime, TimeSpan DecodeTime)
{
    /// <summary>The final events.</summary>
    public IEnumerable<TranscriptEvent> Finals => Events.Where(e => e.IsFinal);

    /// <summary>The final transcripts joined.</summary>
    public string Text => string.Join(' ', Finals.Select(e => e.Text).Where(t => t.Length > 0));

    /// <summary>
    /// Runs one session per clip of <paramref name="clips"/>, as many at once as the machine has cores (a session decodes
    /// on one thread, and each has a decoder of its own, so the results do not depend on it); results in the clips' order.
    /// </summary>
    public static async Task<Transcription[]> RunEachAsync(ISpeechToText stt, IReadOnlyList<SpeechClip> clips, IReadOnlyList<string>? keywords = null)
    {
        var results = new Transcription[clips.Count];
        await Parallel.ForAsync(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, ct) =>
            results[i] = await RunAsync(stt, SpeechFixtures.ReadSamples(clips[i]), clips[i].SampleRate, ct, keywords));
        return results;
    }

    /// <summary>Runs one session over <paramref name="samples"/>, favouring <paramref name="keywords"/> if given.</summary>
    public static async Task<Transcription> RunAsync(ISpeechToText stt, short[] samples, int sampleRate, CancellationToken cancellationToken, IReadOnlyList<string>? keywords = null)
    {
        long started = Stopwatch.GetTimestamp();
        ISpeechToTextSession session = await stt.StartAsync(new SpeechToTextRequest(sampleRate, Keywords: keywords), cancellationToken);
        TimeSpan startTime = Stopwatch.GetElapsedTime(started);
        var events = new List<TranscriptEvent>();
        var finalArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task reading = Task.Run(async () =>
        {
            await foreach (TranscriptEvent e in session.ReadEventsAsync(cancellationToken))
            {
                events.Add(e);
                if (e.SpeechFinal)
                {
                    finalArrived.TrySetResult();
                }
            }
        }, cancellationToken);

        try
        {
            int chunk = sampleRate / 50;
            for (int offset = 0; offset < samples.Length; offset += chunk)
            {
                await session.SendAudioAsync(samples.AsMemory(offset, Math.Min(chunk, samples.Length - offset)), cancellationToken);
            }

            // The final follows the finalise request in the event stream, once the queued audio is decoded.
            await session.FinalizeAsync(cancellationToken);
            await finalArrived.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            await session.DisposeAsync();
        }

        await reading;
        return new Transcription(events, startTime, Stopwatch.GetElapsedTime(started) - startTime);
    }
}
