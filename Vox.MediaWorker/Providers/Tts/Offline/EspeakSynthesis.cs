using System.Runtime.InteropServices;
using System.Threading.Channels;
using Vox.MediaWorker.Native;

namespace Vox.MediaWorker.Providers.Tts.Offline;

/// <summary>
/// One synthesis as the synth callback sees it: cuts espeak-ng's buffers at word starts, so the segment that ends a
/// word carries that word, and writes segments to a channel as soon as they exist.
/// </summary>
/// <remarks>
/// A segment's text runs from its word's start to the next word's start (trimmed), so joining the texts of the segments
/// played so far with spaces gives what the listener heard. Long words are cut every <see cref="MaxSegment"/> into
/// text-less segments, so audio never waits long for the next word event. Called on the synthesis thread only.
/// </remarks>
internal sealed class EspeakSynthesis
{
    /// <summary>The longest piece of audio held back while waiting for the next word to start.</summary>
    public static readonly TimeSpan MaxSegment = TimeSpan.FromMilliseconds(200);

    private static readonly int EventSize = Marshal.SizeOf<EspeakEvent>();

    private readonly string _text;
    private readonly int[] _utf16Offsets;
    private readonly int _sampleRate;
    private readonly int _maxSegmentSamples;
    private readonly ChannelWriter<EspeakSegment> _output;
    private readonly CancellationToken _cancellationToken;
    private short[] _pending;
    private int _pendingLength;
    private long _samplesReceived;
    private bool _inWord;
    private int _wordTextStart;
    private int _lastWordEnd;

    /// <summary>Prepares to receive the audio for <paramref name="text"/> at <paramref name="sampleRate"/>.</summary>
    public EspeakSynthesis(string text, int sampleRate, ChannelWriter<EspeakSegment> output, CancellationToken cancellationToken)
    {
        _text = text;
        _sampleRate = sampleRate;
        _output = output;
        _cancellationToken = cancellationToken;
        _maxSegmentSamples = (int)(sampleRate * MaxSegment.TotalSeconds);
        _pending = new short[_maxSegmentSamples * 2];

        // espeak-ng counts text positions in code points; strings index UTF-16 units.
        var offsets = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            offsets.Add(i);
        }

        offsets.Add(text.Length);
        _utf16Offsets = [.. offsets];
    }

    /// <summary>The text being spoken.</summary>
    public string Text => _text;

    /// <summary>Set when the callback failed; the callback then stopped the synthesis, and the engine rethrows this.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The synth callback body: 0 to continue, 1 to stop (cancelled or failed).</summary>
    public int OnSynth(IntPtr wav, int sampleCount, IntPtr events)
    {
        if (_cancellationToken.IsCancellationRequested)
        {
            return 1;
        }

        try
        {
            int consumed = 0;
            for (IntPtr cursor = events; cursor != IntPtr.Zero; cursor += EventSize)
            {
                EspeakEvent e = Marshal.PtrToStructure<EspeakEvent>(cursor);
                if (e.Type == EspeakEvent.ListTerminated)
                {
                    break;
                }

                // A token spoken as several words ("4567") repeats word events inside its own span: one word for us.
                int position = e.TextPosition - 1;
                if (e.Type != EspeakEvent.Word || position < _lastWordEnd)
                {
                    continue;
                }

                _lastWordEnd = position + Math.Max(e.Length, 1);
                long at = e.AudioPosition * (long)_sampleRate / 1000 - _samplesReceived;
                int split = (int)Math.Clamp(at, consumed, sampleCount);
                Append(wav, consumed, split - consumed);
                consumed = split;
                StartWord(ToUtf16(position));
            }

            Append(wav, consumed, sampleCount - consumed);
            _samplesReceived += sampleCount;
            return 0;
        }
        catch (Exception ex)
        {
            Failure = ex;
            return 1;
        }
    }

    /// <summary>The synthesis ended normally: sends the last word with the rest of the text (with no audio if none is left).</summary>
    public void Complete()
    {
        if (!_inWord)
        {
            Emit(null);
            return;
        }

        Emit(Slice(_wordTextStart, _text.Length));
    }

    private void StartWord(int textStart)
    {
        if (!_inWord)
        {
            // Audio before the first word has no text; text before it (an opening quote) goes with the first word.
            Emit(null);
            _inWord = true;
            _wordTextStart = 0;
            return;
        }

        // A word without audio of its own lends its text to the next one rather than lose it.
        if (_pendingLength > 0)
        {
            Emit(Slice(_wordTextStart, textStart));
            _wordTextStart = textStart;
        }
    }

    private void Append(IntPtr wav, int offset, int count)
    {
        if (count <= 0)
        {
            return;
        }

        if (_pendingLength >= _maxSegmentSamples)
        {
            Emit(null);
        }

        if (_pendingLength + count > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + count));
        }

        Marshal.Copy(wav + offset * sizeof(short), _pending, _pendingLength, count);
        _pendingLength += count;
    }

    private void Emit(string? text)
    {
        if (_pendingLength == 0 && text is null)
        {
            return;
        }

        _output.TryWrite(new EspeakSegment(_pending.AsSpan(0, _pendingLength).ToArray(), text));
        _pendingLength = 0;
    }

    private string? Slice(int start, int end)
    {
        string text = _text[start..Math.Max(start, end)].Trim();
        return text.Length > 0 ? text : null;
    }

    private int ToUtf16(int codePoint) => _utf16Offsets[Math.Clamp(codePoint, 0, _utf16Offsets.Length - 1)];
}
