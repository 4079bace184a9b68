using System.Net.WebSockets;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Transports;
using static Vox.MediaWorker.Tests.Transports.SerializerAssert;

namespace Vox.MediaWorker.Tests.Transports;

public sealed class TwilioSerializerTests
{
    private static TwilioSerializer Started()
    {
        var s = new TwilioSerializer();
        Text(s, """{"event":"connected","protocol":"Call","version":"1.0.0"}""");
        Text(s, """{"event":"start","sequenceNumber":"1","streamSid":"MZ9","start":{"streamSid":"MZ9","callSid":"CA1","mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}""");
        return s;
    }

    [Fact]
    public void Audio_is_mulaw_both_ways_one_20ms_media_message_per_frame()
    {
        var s = Started();
        var codes = new byte[160];
        MuLawCodec.Encode(Frame(8000, 4000), codes);
        var audio = Assert.IsType<TransportAudio>(Text(s, $$$"""{"event":"media","streamSid":"MZ9","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"{{{Convert.ToBase64String(codes)}}}"}}"""));
        Assert.Equal(160, audio.Samples.Length);
        Assert.InRange(audio.Samples[0], 3800, 4200);

        var media = Json(s.SerializeAudio(Frame(8000, 4000)));
        Assert.Equal("MZ9", media.GetProperty("streamSid").GetString());
        Assert.Equal(codes, Convert.FromBase64String(media.GetProperty("media").GetProperty("payload").GetString()!));
    }

    [Fact]
    public void Marks_clear_and_dtmf_use_twilios_camel_case()
    {
        var s = Started();
        Assert.Equal("""{"event":"mark","streamSid":"MZ9","mark":{"name":"turn-1"}}""", Json(s.SerializeEvent(new TransportEvent("transcript", "assistant", "Hi", true))).GetRawText());
        Assert.Null(s.SerializeEvent(new TransportEvent("transcript", "user", "Hi", true)));
        Assert.Equal("""{"event":"clear","streamSid":"MZ9"}""", Json(s.SerializeClear()).GetRawText());
        Assert.Equal('#', Assert.IsType<TransportDtmf>(Text(s, """{"event":"dtmf","streamSid":"MZ9","dtmf":{"track":"inbound_track","digit":"#"}}""")).Digit);
        Assert.IsType<TransportStop>(Text(s, """{"event":"stop","streamSid":"MZ9","stop":{"accountSid":"AC1","callSid":"CA1"}}"""));
    }

    [Fact]
    public void Binary_frames_and_a_foreign_encoding_are_refused()
    {
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, Refused(Started(), WebSocketMessageType.Binary, "abc").CloseStatus);
        var other = new TwilioSerializer();
        Assert.Contains("audio/x-mulaw", Refused(other, WebSocketMessageType.Text,
            """{"event":"start","streamSid":"MZ1","start":{"mediaFormat":{"encoding":"audio/l16"}}}""").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_events_are_ignored()
    {
        Assert.IsType<TransportIgnored>(Text(Started(), """{"event":"something-new","streamSid":"MZ9"}"""));
    }
}
