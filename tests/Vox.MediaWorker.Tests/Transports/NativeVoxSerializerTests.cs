using System.Net.WebSockets;
using System.Text;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Tests.Transports;

public sealed class NativeVoxSerializerTests
{
    private static TransportInput Text(NativeVoxSerializer s, string json) => s.Deserialize(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(json));

    private static NativeVoxSerializer Started(int rate = 16000)
    {
        var s = new NativeVoxSerializer();
        Text(s, $$"""{"type":"start","callId":"c1","sampleRate":{{rate}}}""");
        return s;
    }

    [Fact]
    public void Start_sets_the_rate_and_audio_decodes_little_endian_pcm16()
    {
        var s = new NativeVoxSerializer();
        var start = Assert.IsType<TransportStart>(Text(s, """{"type":"start","callId":"c1","sampleRate":8000}"""));
        Assert.Equal(("c1", 8000), (start.CallId, start.SampleRate));
        var audio = Assert.IsType<TransportAudio>(s.Deserialize(WebSocketMessageType.Binary, new byte[] { 0x01, 0x00, 0xFF, 0xFF }));
        Assert.Equal(new short[] { 1, -1 }, audio.Samples);
        var round = s.SerializeAudio(new short[] { 1, -1 });
        Assert.Equal(new byte[] { 0x01, 0x00, 0xFF, 0xFF }, round!.Value.Payload.ToArray());
    }

    [Theory]
    [InlineData("{not json", WebSocketCloseStatus.InvalidPayloadData, "malformed control message")]
    [InlineData("[1,2]", WebSocketCloseStatus.InvalidPayloadData, "without a string 'type'")]
    [InlineData("""{"type":"dance"}""", WebSocketCloseStatus.InvalidPayloadData, "unknown control message type")]
    [InlineData("""{"type":"dtmf","digit":"55"}""", WebSocketCloseStatus.InvalidPayloadData, "one digit")]
    [InlineData("""{"type":"start"}""", WebSocketCloseStatus.ProtocolError, "second start")]
    public void Bad_control_messages_are_refused_with_a_clear_reason(string json, WebSocketCloseStatus status, string reason)
    {
        var ex = Assert.Throws<MediaProtocolException>(() => Text(Started(), json));
        Assert.Equal(status, ex.CloseStatus);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Audio_before_start_odd_length_and_oversize_frames_are_refused()
    {
        Assert.Equal(WebSocketCloseStatus.ProtocolError,
            Assert.Throws<MediaProtocolException>(() => new NativeVoxSerializer().Deserialize(WebSocketMessageType.Binary, new byte[4])).CloseStatus);
        Assert.Contains("odd-length", Assert.Throws<MediaProtocolException>(() => Started().Deserialize(WebSocketMessageType.Binary, new byte[3])).Message);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig,
            Assert.Throws<MediaProtocolException>(() => Started().Deserialize(WebSocketMessageType.Binary, new byte[10 * 1024 * 1024])).CloseStatus);
    }

    [Fact]
    public void Unsupported_rate_is_refused()
    {
        var ex = Assert.Throws<MediaProtocolException>(() => Text(new NativeVoxSerializer(), """{"type":"start","sampleRate":11025}"""));
        Assert.Contains("11025", ex.Message);
    }

    [Fact]
    public void Control_events_serialize_as_typed_json()
    {
        var s = Started();
        Assert.Equal("""{"type":"clear"}""", Encoding.UTF8.GetString(s.SerializeClear()!.Value.Payload.Span));
        var transcript = Encoding.UTF8.GetString(s.SerializeEvent(new TransportEvent("transcript", "user", "hi", true))!.Value.Payload.Span);
        Assert.Equal("""{"type":"transcript","role":"user","text":"hi","final":true}""", transcript);
    }
}
