using System.Net.WebSockets;
using Vox.MediaWorker.Transports;
using static Vox.MediaWorker.Tests.Transports.SerializerAssert;

namespace Vox.MediaWorker.Tests.Transports;

public sealed class VonageSerializerTests
{
    [Theory]
    [InlineData("audio/l16;rate=8000", 8000)]
    [InlineData("audio/l16;rate=16000", 16000)]
    [InlineData("audio/l16", 16000)]
    public void First_text_message_sets_the_rate_and_audio_is_20ms_binary(string contentType, int rate)
    {
        var s = new VonageSerializer();
        Assert.Equal(rate, Assert.IsType<TransportStart>(Text(s, $$"""{"event":"websocket:connected","content-type":"{{contentType}}","botId":"b"}""")).SampleRate);
        var frame = s.SerializeAudio(Frame(rate))!.Value;
        Assert.Equal((WebSocketMessageType.Binary, rate / 50 * 2), (frame.Type, frame.Payload.Length));
        Assert.Equal(rate / 50, Assert.IsType<TransportAudio>(s.Deserialize(WebSocketMessageType.Binary, new byte[rate / 50 * 2])).Samples.Length);
    }

    [Fact]
    public void Clear_notify_and_dtmf_follow_vonages_messages()
    {
        var s = new VonageSerializer();
        Text(s, """{"event":"websocket:connected","content-type":"audio/l16;rate=16000"}""");
        Assert.Equal("""{"action":"clear"}""", Json(s.SerializeClear()).GetRawText());
        Assert.Equal("""{"action":"notify","payload":{"mark":"turn-1"}}""", Json(s.SerializeEvent(new TransportEvent("transcript", "assistant", "Hi", true))).GetRawText());
        Assert.Equal("turn-1", Assert.IsType<TransportMark>(Text(s, """{"event":"websocket:notify","payload":{"mark":"turn-1"}}""")).Name);
        Assert.Equal('5', Assert.IsType<TransportDtmf>(Text(s, """{"event":"websocket:dtmf","digit":"5","duration":260}""")).Digit);
        Assert.IsType<TransportIgnored>(Text(s, """{"event":"websocket:cleared"}"""));
    }

    [Theory]
    [InlineData("""{"event":"websocket:dtmf","digit":"5"}""", "before the start event")]
    [InlineData("""{"event":"websocket:connected","content-type":"audio/l16;rate=44100"}""", "44100")]
    [InlineData("[1]", "not a JSON object")]
    public void Out_of_order_or_unsupported_openings_are_refused(string json, string reason) =>
        Assert.Contains(reason, Refused(new VonageSerializer(), WebSocketMessageType.Text, json).Message, StringComparison.Ordinal);

    [Fact]
    public void Audio_before_connected_and_odd_frames_are_refused()
    {
        Assert.Equal(WebSocketCloseStatus.ProtocolError, Assert.Throws<MediaProtocolException>(() => new VonageSerializer().Deserialize(WebSocketMessageType.Binary, new byte[640])).CloseStatus);
        var s = new VonageSerializer();
        Text(s, """{"event":"websocket:connected","content-type":"audio/l16;rate=16000"}""");
        Assert.Contains("odd-length", Assert.Throws<MediaProtocolException>(() => s.Deserialize(WebSocketMessageType.Binary, new byte[641])).Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, Assert.Throws<MediaProtocolException>(() => s.Deserialize(WebSocketMessageType.Binary, new byte[64_000])).CloseStatus);
    }
}
