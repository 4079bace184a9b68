using System.Text;
using System.Text.Json;
using Vox.MediaWorker.Providers.Llm;

namespace Vox.MediaWorker.Providers.OpenAi;

/// <summary>
/// Turns chat-completion chunks into events: text deltas as they come, tool calls joined per <c>index</c> and released
/// when the choice finishes (or the stream ends), usage from the last chunk. A malformed chunk is a <see cref="FormatException"/>.
/// </summary>
internal sealed class OpenAiStreamParser
{
    private readonly SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)> _calls = [];

    /// <summary>True once the stream said <c>[DONE]</c>.</summary>
    public bool Done { get; private set; }

    public IEnumerable<LanguageModelEvent> Parse(string data)
    {
        if (data.Trim() == "[DONE]")
        {
            Done = true;
            return Flush();
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(data);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"malformed stream chunk: {ex.Message}", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("stream chunk is not a JSON object");
            }

            if (root.TryGetProperty("error", out var error))
            {
                var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() : error.ToString();
                throw new InvalidOperationException($"the provider reported an error in the stream: {message}");
            }

            var events = new List<LanguageModelEvent>();
            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    ParseChoice(choice, events);
                }
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                events.Add(new UsageReport(Int(usage, "prompt_tokens"), Int(usage, "completion_tokens"))
                {
                    CachedPromptTokens = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object
                        ? Int(details, "cached_tokens") : 0,
                });
            }

            return events;
        }
    }

    /// <summary>Tool calls still held (a stream that ended without <c>finish_reason</c>).</summary>
    public IEnumerable<LanguageModelEvent> Flush()
    {
        var calls = _calls.Values.Select(c => (LanguageModelEvent)new ToolCallRequest(c.Id, c.Name, c.Arguments.Length == 0 ? "{}" : c.Arguments.ToString())).ToList();
        _calls.Clear();
        return calls;
    }

    private void ParseChoice(JsonElement choice, List<LanguageModelEvent> events)
    {
        if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
            {
                events.Add(new TextDelta(text));
            }

            if (delta.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in toolCalls.EnumerateArray())
                {
                    var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : _calls.Count;
                    if (!_calls.TryGetValue(index, out var entry))
                    {
                        entry = ("", "", new StringBuilder());
                    }

                    if (call.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } idText)
                    {
                        entry.Id = idText;
                    }

                    if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
                    {
                        if (function.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } nameText)
                        {
                            entry.Name = nameText;
                        }

                        if (function.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.String)
                        {
                            entry.Arguments.Append(arguments.GetString());
                        }
                    }

                    _calls[index] = entry;
                }
            }
        }

        if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            events.AddRange(Flush());
        }
    }

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt32(out var n) ? n : 0;
}
