using System.Text;
using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Pipeline.Frames;

namespace Vox.MediaWorker.Pipeline.Processors;

/// <summary>Gathers streamed reply text into sentences, so the TTS starts on the first sentence while the rest streams in.</summary>
public sealed class SentenceSplitter(ILogger<SentenceSplitter> logger) : FrameProcessor("sentences", logger)
{
    private readonly StringBuilder _pending = new();
    private long _turnId = -1;

    /// <summary>Splits <paramref name="text"/> after sentence-ending punctuation followed by a space; returns the complete sentences and the rest.</summary>
    public static (IReadOnlyList<string> Sentences, string Remainder) Split(string text)
    {
        var sentences = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] is '.' or '!' or '?' && char.IsWhiteSpace(text[i + 1]) && !IsAbbreviation(text, start, i))
            {
                var sentence = text[start..(i + 1)].Trim();
                if (sentence.Length > 0)
                {
                    sentences.Add(sentence);
                }

                start = i + 1;
            }
        }

        return (sentences, text[start..]);
    }

    /// <inheritdoc />
    protected override async ValueTask ProcessFrameAsync(Frame frame, FrameDirection direction, CancellationToken cancellationToken)
    {
        switch (frame)
        {
            case ResponseTextFrame text:
                if (text.TurnId != _turnId)
                {
                    _pending.Clear();
                    _turnId = text.TurnId;
                }

                _pending.Append(text.Text);
                var (sentences, rest) = Split(_pending.ToString());
                _pending.Clear().Append(rest);
                foreach (var sentence in sentences)
                {
                    await PushFrameAsync(new SpeakFrame(text.TurnId, sentence), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
                }

                return;
            case ResponseEndFrame end:
                var remainder = end.TurnId == _turnId ? _pending.ToString().Trim() : "";
                _pending.Clear();
                if (remainder.Length > 0)
                {
                    await PushFrameAsync(new SpeakFrame(end.TurnId, remainder), FrameDirection.Downstream, cancellationToken).ConfigureAwait(false);
                }

                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
            default:
                await PushFrameAsync(frame, direction, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    /// <inheritdoc />
    protected override ValueTask OnInterruptedAsync(InterruptionFrame frame, CancellationToken cancellationToken)
    {
        _pending.Clear();
        return ValueTask.CompletedTask;
    }

    private static bool IsAbbreviation(string text, int start, int dot)
    {
        var wordStart = text.LastIndexOf(' ', dot) + 1;
        var word = text[Math.Max(start, wordStart)..dot];
        return word is "Mr" or "Mrs" or "Ms" or "Dr" or "St" or "vs" or "e.g" or "i.e" || (word.Length == 1 && char.IsUpper(word[0]));
    }
}
