using System.Text.Json;
using Vox.MediaWorker.Providers.Llm;

namespace Vox.MediaWorker.Providers.OpenAi;

/// <summary>Writes the JSON body of a streaming chat completion request.</summary>
internal static class OpenAiChatRequest
{
    public static byte[] Write(LanguageModelRequest request, string model, string promptCache)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteBoolean("stream", true);
            w.WriteStartObject("stream_options");
            w.WriteBoolean("include_usage", true);
            w.WriteEndObject();
            if (request.Temperature is { } temperature)
            {
                w.WriteNumber("temperature", temperature);
            }

            if (request.JsonOutput)
            {
                w.WriteStartObject("response_format");
                w.WriteString("type", "json_object");
                w.WriteEndObject();
            }

            if (promptCache == "openai" && request.CacheKey is { } key)
            {
                w.WriteString("prompt_cache_key", key);
            }

            w.WriteStartArray("messages");
            foreach (var message in request.Messages)
            {
                WriteMessage(w, message, promptCache == "anthropic" && message.Role == "system");
            }

            w.WriteEndArray();
            var tools = request.Tools.Where(t => !string.IsNullOrWhiteSpace(t.Name)).ToList();
            if (tools.Count > 0)
            {
                w.WriteStartArray("tools");
                foreach (var tool in tools)
                {
                    w.WriteStartObject();
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", tool.Name);
                    w.WriteString("description", tool.Description);
                    w.WritePropertyName("parameters");
                    if (tool.Parameters is { ValueKind: JsonValueKind.Object } parameters)
                    {
                        parameters.WriteTo(w);
                    }
                    else
                    {
                        w.WriteRawValue("""{"type":"object","properties":{}}""");
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("tool_choice", "auto");
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message, bool cacheControl)
    {
        w.WriteStartObject();
        w.WriteString("role", message.Role);
        if (cacheControl)
        {
            // Anthropic models (through OpenRouter) cache a prefix marked with cache_control; the system prompt is the stable prefix.
            w.WriteStartArray("content");
            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WriteString("text", message.Content);
            w.WriteStartObject("cache_control");
            w.WriteString("type", "ephemeral");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }
        else
        {
            w.WriteString("content", message.Content);
        }

        if (message.ToolCallId is not null)
        {
            w.WriteString("tool_call_id", message.ToolCallId);
        }

        if (message.ToolCalls is { Count: > 0 } calls)
        {
            w.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                w.WriteStartObject();
                w.WriteString("id", call.Id);
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", call.Name);
                w.WriteString("arguments", call.ArgumentsJson);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
