using Vox.MediaWorker.Providers.Llm;

namespace Vox.MediaWorker.Calls;

/// <summary>The messages the responder sees. The bot's messages hold only what the caller actually heard.</summary>
public sealed class ConversationContext
{
    private readonly List<ChatMessage> _messages = [];
    private readonly Dictionary<long, int> _assistantIndex = [];
    private readonly Lock _gate = new();

    /// <summary>Starts the context with the system prompt.</summary>
    public ConversationContext(string systemPrompt)
    {
        if (!string.IsNullOrWhiteSpace(systemPrompt))
        {
            _messages.Add(new ChatMessage("system", systemPrompt));
        }
    }

    /// <summary>A copy of the messages.</summary>
    public IReadOnlyList<ChatMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToList();
            }
        }
    }

    /// <summary>Adds what the caller said.</summary>
    public void AddUser(string text)
    {
        lock (_gate)
        {
            _messages.Add(new ChatMessage("user", text));
        }
    }

    /// <summary>Adds (or extends) the bot's reply for <paramref name="turnId"/> as generated.</summary>
    public void AppendAssistant(long turnId, string text)
    {
        lock (_gate)
        {
            if (_assistantIndex.TryGetValue(turnId, out var index))
            {
                _messages[index] = _messages[index] with { Content = _messages[index].Content + text };
            }
            else
            {
                _assistantIndex[turnId] = _messages.Count;
                _messages.Add(new ChatMessage("assistant", text));
            }
        }
    }

    /// <summary>Cuts the bot's reply for <paramref name="turnId"/> to what was played (barge-in); drops it if nothing was.</summary>
    public void TruncateAssistant(long turnId, string played)
    {
        lock (_gate)
        {
            if (!_assistantIndex.TryGetValue(turnId, out var index))
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(played))
            {
                _messages.RemoveAt(index);
                _assistantIndex.Remove(turnId);
                foreach (var key in _assistantIndex.Keys.ToList())
                {
                    if (_assistantIndex[key] > index)
                    {
                        _assistantIndex[key]--;
                    }
                }
            }
            else
            {
                _messages[index] = _messages[index] with { Content = played.Trim() };
            }
        }
    }

    /// <summary>
    /// Records a tool round of turn <paramref name="turnId"/>: the model's calls go on the bot's message of that turn (or a
    /// new one), the results follow, and later text of the turn starts a new bot message after them.
    /// </summary>
    public void AddToolRound(long turnId, IReadOnlyList<ToolCallRequest> calls, IReadOnlyList<ChatMessage> results)
    {
        lock (_gate)
        {
            if (_assistantIndex.Remove(turnId, out var index))
            {
                _messages[index] = _messages[index] with { ToolCalls = calls };
            }
            else
            {
                _messages.Add(new ChatMessage("assistant", "", ToolCalls: calls));
            }

            _messages.AddRange(results);
        }
    }
}
