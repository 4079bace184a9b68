using System.Net.WebSockets;
using Vox.MediaWorker.Transports;
using static Vox.MediaWorker.Tests.Transports.SerializerAssert;

namespace Vox.MediaWorker.Tests.Transports;

public sealed class ICallMateSerializerTests
{
    [Fact]
    public void Start_then_8k_linear16_frames_marks_dtmf_and_stop()
    {
        var s = new ICallMateSerializer();
        Assert.Equal(8000, Assert.IsType<TransportStart>(Text(s, """{"event":"start","sampleRate":8000}""")).SampleRate);
        Assert.Equal(160, Assert.IsType<TransportAudio>(s.Deserialize(WebSocketMessageType.Binary, new byte[320])).Samples.Length);
        Assert.Equal(320, s.SerializeAudio(Frame(8000))!.Value.Payload.Length);
        Assert.Equal("""{"event":"mark","name":"turn-1"}""", Json(s.SerializeEvent(new TransportEvent("transcript", "assistant", "Hi", true))).GetRawText());
        Assert.Equal("""{"event":"clear"}""", Json(s.SerializeClear()).GetRawText());
        Assert.Equal("turn-1", Assert.IsType<TransportMark>(Text(s, """{"event":"mark","name":"turn-1"}""")).Name);
        Assert.Equal('9', Assert.IsType<TransportDtmf>(Text(s, """{"event":"dtmf","digit":"9"}""")).Digit);
        Assert.IsType<TransportStop>(Text(s, """{"event":"stop"}"""));
    }

    [Theory]
    [InlineData("""{"event":"start","sampleRate":16000}""", "is not 8000")]
    [InlineData("""{"event":"dtmf","digit":"1"}""", "before the start event")]
    public void Wrong_rate_and_events_before_start_are_refused(string json, string reason) =>
        Assert.Contains(reason, Refused(new ICallMateSerializer(), WebSocketMessageType.Text, json).Message, StringComparison.Ordinal);

    [Fact]
    public void Audio_before_start_is_refused()
    {
        Assert.Equal(WebSocketCloseStatus.ProtocolError, Assert.Throws<MediaProtocolException>(() => new ICallMateSerializer().Deserialize(WebSocketMessageType.Binary, new byte[320])).CloseStatus);
    }
}
