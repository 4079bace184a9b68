using System.Runtime.CompilerServices;
using Vox.MediaWorker.Providers.Tts;

namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>The worker's offline voice in these tests: 60 ms of tone per word, each chunk carrying its word.</summary>
internal sealed class WordToneTts : ITextToSpeech
{
    public string Name => "offline";

    public List<string> Texts { get; } = [];

    public async IAsyncEnumerable<SpeechAudioChunk> SynthesizeAsync(string text, TextToSpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (Texts)
        {
            Texts.Add(text);
        }

        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var samples = new short[request.SampleRate * 60 / 1000];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = (short)(6000 * Math.Sin(2 * Math.PI * 300 * i / request.SampleRate));
            }

            yield return new SpeechAudioChunk(samples, request.SampleRate, word);
        }
    }
}
