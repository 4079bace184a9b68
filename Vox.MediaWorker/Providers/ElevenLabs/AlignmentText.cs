using System.Text;
using System.Text.Json;

namespace Vox.MediaWorker.Providers.ElevenLabs;

/// <summary>
/// Gathers ElevenLabs alignment characters and hands them out in whole words, so each audio chunk carries the words it
/// finishes: what the caller heard when they barge in.
/// </summary>
internal sealed class AlignmentText
{
    private readonly StringBuilder _pending = new();

    /// <summary>Characters delivered as audio so far.</summary>
    public int CharsSpoken { get; private set; }

    /// <summary>Adds a message's <c>alignment.chars</c>.</summary>
    public void Add(JsonElement alignment)
    {
        if (alignment.ValueKind == JsonValueKind.Object && alignment.TryGetProperty("chars", out var chars) && chars.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in chars.EnumerateArray())
            {
                _pending.Append(c.GetString());
            }
        }
    }

    /// <summary>The complete words gathered so far (null when none), keeping a partial last word.</summary>
    public string? TakeWords()
    {
        var text = _pending.ToString();
        var cut = text.LastIndexOf(' ');
        if (cut <= 0)
        {
            return null;
        }

        _pending.Remove(0, cut + 1);
        CharsSpoken += cut + 1;
        var words = text[..cut].Trim();
        return words.Length > 0 ? words : null;
    }

    /// <summary>Whatever is left (end of the sentence).</summary>
    public string? TakeRest()
    {
        var rest = _pending.ToString().Trim();
        CharsSpoken += _pending.Length;
        _pending.Clear();
        return rest.Length > 0 ? rest : null;
    }
}
