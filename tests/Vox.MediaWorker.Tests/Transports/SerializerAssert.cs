using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Tests.Transports;

/// <summary>Feeding carrier messages to a serializer and reading what it sends, for the serializer tests.</summary>
internal static class SerializerAssert
{
    public static TransportInput Text(IMediaSerializer serializer, string json) =>
        serializer.Deserialize(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(json));

    public static JsonElement Json(OutboundMessage? message)
    {
        Assert.NotNull(message);
        Assert.Equal(WebSocketMessageType.Text, message.Value.Type);
        using var doc = JsonDocument.Parse(message.Value.Payload);
        return doc.RootElement.Clone();
    }

    public static MediaProtocolException Refused(IMediaSerializer serializer, WebSocketMessageType type, string payload) =>
        Assert.Throws<MediaProtocolException>(() => serializer.Deserialize(type, Encoding.UTF8.GetBytes(payload)));

    public static short[] Frame(int sampleRate, short value = 1000) => Enumerable.Repeat(value, sampleRate / 50).ToArray();
}
