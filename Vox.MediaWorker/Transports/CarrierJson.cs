using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace Vox.MediaWorker.Transports;

/// <summary>Reading and writing the JSON of carrier media protocols, with protocol errors named for the close reason.</summary>
internal static class CarrierJson
{
    /// <summary>DTMF digits a carrier may report.</summary>
    public const string DtmfDigits = "0123456789*#ABCD";

    /// <summary>Parses a text message that must be a JSON object; binary messages and malformed JSON are protocol errors.</summary>
    public static JsonElement ParseObject(WebSocketMessageType type, ReadOnlySpan<byte> payload, string carrier)
    {
        if (type != WebSocketMessageType.Text)
        {
            throw new MediaProtocolException(WebSocketCloseStatus.InvalidMessageType, $"binary message where {carrier} sends only JSON text");
        }

        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var doc = JsonDocument.ParseValue(ref reader);
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"malformed JSON from {carrier}: {ex.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"{carrier} message is not a JSON object");
        }

        return root;
    }

    /// <summary>The string value of the first of <paramref name="names"/> present; numbers are given as their text (carriers send both).</summary>
    public static string? Text(JsonElement element, params ReadOnlySpan<string> names)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (element.TryGetProperty(name, out var value))
            {
                return value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    _ => null,
                };
            }
        }

        return null;
    }

    /// <summary>The object property <paramref name="name"/>, or an undefined element.</summary>
    public static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    /// <summary>Decodes base64 audio; bad base64 is a protocol error.</summary>
    public static byte[] Base64(string? text, string carrier)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"{carrier} media message without a payload");
        }

        var bytes = new byte[text.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written))
        {
            throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"{carrier} media payload is not valid base64");
        }

        return bytes.AsSpan(0, written).ToArray();
    }

    /// <summary>One DTMF digit, or a protocol error.</summary>
    public static char Digit(string? digit, string carrier) =>
        digit is { Length: 1 } && DtmfDigits.Contains(char.ToUpperInvariant(digit[0]), StringComparison.Ordinal)
            ? char.ToUpperInvariant(digit[0])
            : throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"{carrier} dtmf event needs one digit of 0-9, *, #, A-D");

    /// <summary>Writes one JSON object with <paramref name="write"/> and wraps it as a text message.</summary>
    public static OutboundMessage Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer, state);
            writer.WriteEndObject();
        }

        return new OutboundMessage(WebSocketMessageType.Text, buffer.WrittenMemory);
    }

    /// <summary>Decodes PCM16LE audio of at most <paramref name="maxBytes"/>; odd lengths and oversize frames are protocol errors.</summary>
    public static short[] Pcm16Audio(ReadOnlySpan<byte> payload, int maxBytes, string carrier)
    {
        if (payload.Length > maxBytes)
        {
            throw new MediaProtocolException(WebSocketCloseStatus.MessageTooBig, $"{carrier} audio of {payload.Length} bytes exceeds {maxBytes}");
        }

        if (payload.Length % 2 != 0)
        {
            throw new MediaProtocolException(WebSocketCloseStatus.InvalidPayloadData, $"odd-length {carrier} PCM16 audio ({payload.Length} bytes)");
        }

        var samples = new short[payload.Length / 2];
        Vox.MediaWorker.Audio.Pcm16.BytesToSamples(payload, samples);
        return samples;
    }

    /// <summary>Encodes PCM16 samples as a binary message.</summary>
    public static OutboundMessage BinaryPcm16(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        Vox.MediaWorker.Audio.Pcm16.SamplesToBytes(samples, bytes);
        return new OutboundMessage(WebSocketMessageType.Binary, bytes);
    }

    /// <summary>
    /// The name of the mark that follows a finished bot turn (<c>turn-1</c>, <c>turn-2</c>, …, counted in
    /// <paramref name="marks"/>), a mark the pipeline asked for by name, or null for other events.
    /// </summary>
    public static string? MarkName(TransportEvent transportEvent, ref int marks) => transportEvent switch
    {
        // The end of a bot turn: a mark after its audio, echoed by the carrier once that audio has played.
        { Type: "transcript", Role: "assistant", Final: not false } => $"turn-{++marks}",
        { Type: "mark", Name: { } name } => name,
        _ => null,
    };

    /// <summary>A protocol error for an event that arrived before the call started.</summary>
    public static MediaProtocolException BeforeStart(string carrier, string what) =>
        new(WebSocketCloseStatus.ProtocolError, $"{carrier} '{what}' before the start event");
}
