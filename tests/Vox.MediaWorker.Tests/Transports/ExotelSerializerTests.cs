using System.Net.WebSockets;
using Vox.MediaWorker.Transports;
using static Vox.MediaWorker.Tests.Transports.SerializerAssert;

namespace Vox.MediaWorker.Tests.Transports;

public sealed class ExotelSerializerTests
{
    private static ExotelSerializer Started(int rate)
    {
        var s = new ExotelSerializer(rate);
        Assert.IsType<TransportIgnored>(Text(s, """{"event":"connected"}"""));
        Assert.IsType<TransportStart>(Text(s, """{"event":"start","sequence_number":"1","stream_sid":"MZ1","start":{"stream_sid":"MZ1","media_format":{"sample_rate":"8000"}}}"""));
        return s;
    }

    [Theory]
    [InlineData(8000, 10)]
    [InlineData(16000, 5)]
    [InlineData(24000, 4)]
    public void Outgoing_audio_leaves_in_chunks_of_at_least_3200_bytes_in_multiples_of_320(int rate, int framesPerChunk)
    {
        var s = Started(rate);
        for (var i = 1; i < framesPerChunk; i++)
        {
            Assert.Null(s.SerializeAudio(Frame(rate)));
        }

        var chunk = Json(s.SerializeAudio(Frame(rate)));
        Assert.Equal(("media", "MZ1"), (chunk.GetProperty("event").GetString(), chunk.GetProperty("stream_sid").GetString()));
        var bytes = Convert.FromBase64String(chunk.GetProperty("media").GetProperty("payload").GetString()!);
        Assert.True(bytes.Length >= ExotelSerializer.MinChunkBytes && bytes.Length % ExotelSerializer.ChunkGranuleBytes == 0, $"{bytes.Length} bytes");
        Assert.Equal(framesPerChunk * rate / 50 * 2, bytes.Length);
    }

    [Fact]
    public void A_turns_tail_is_flushed_padded_with_silence_before_its_mark()
    {
        var s = Started(8000);
        Assert.Null(s.SerializeAudio(Frame(8000)));
        Assert.Null(s.SerializeAudio(Frame(8000)));
        var tail = Convert.FromBase64String(Json(s.FlushAudio()).GetProperty("media").GetProperty("payload").GetString()!);
        Assert.Equal(3200, tail.Length);
        Assert.Equal(1000, BitConverter.ToInt16(tail, 0));
        Assert.All(tail[640..], b => Assert.Equal(0, b));
        Assert.Null(s.FlushAudio());
        var mark = Json(s.SerializeEvent(new TransportEvent("transcript", "assistant", "Hello.", true)));
        Assert.Equal("turn-1", mark.GetProperty("mark").GetProperty("name").GetString());
    }

    [Fact]
    public void Clear_drops_buffered_audio_and_names_the_stream()
    {
        var s = Started(8000);
        s.SerializeAudio(Frame(8000));
        var clear = Json(s.SerializeClear());
        Assert.Equal("""{"event":"clear","stream_sid":"MZ1"}""", clear.GetRawText());
        Assert.Null(s.FlushAudio());
    }

    [Fact]
    public void Media_dtmf_mark_and_stop_are_read_with_numbers_as_strings_or_numbers()
    {
        var s = Started(8000);
        var audio = Assert.IsType<TransportAudio>(Text(s, """{"event":"media","sequence_number":3,"stream_sid":"MZ1","media":{"chunk":"2","timestamp":"200","payload":"AQD//w=="}}"""));
        Assert.Equal(new short[] { 1, -1 }, audio.Samples);
        Assert.Equal('5', Assert.IsType<TransportDtmf>(Text(s, """{"event":"dtmf","stream_sid":"MZ1","dtmf":{"digit":"5","duration":"100"}}""")).Digit);
        Assert.Equal("turn-3-end", Assert.IsType<TransportMark>(Text(s, """{"event":"mark","stream_sid":"MZ1","mark":{"name":"turn-3-end"}}""")).Name);
        Assert.Equal("callended", Assert.IsType<TransportStop>(Text(s, """{"event":"stop","stream_sid":"MZ1","stop":{"reason":"callended"}}""")).Reason);
    }

    [Theory]
    [InlineData("""{"event":"media","media":{"payload":"AQD//w=="}}""", WebSocketCloseStatus.ProtocolError, "before the start event")]
    public void Events_before_start_are_refused(string json, WebSocketCloseStatus status, string reason)
    {
        var ex = Refused(new ExotelSerializer(), WebSocketMessageType.Text, json);
        Assert.Equal(status, ex.CloseStatus);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{oops", "malformed JSON")]
    [InlineData("""{"event":"media","media":{"payload":"***"}}""", "not valid base64")]
    [InlineData("""{"event":"media","media":{"payload":"AQD/"}}""", "odd-length")]
    [InlineData("""{"event":"dtmf","dtmf":{"digit":"x"}}""", "one digit")]
    [InlineData("""{"event":"start","start":{}}""", "second Exotel start")]
    [InlineData("""{"event":"connected"}""", "'connected' after the start")]
    [InlineData("""{"nothing":1}""", "without an 'event'")]
    public void Broken_messages_after_start_are_refused_with_a_reason(string json, string reason) =>
        Assert.Contains(reason, Refused(Started(8000), WebSocketMessageType.Text, json).Message, StringComparison.Ordinal);

    [Fact]
    public void Unsupported_rates_are_refused()
    {
        Assert.Contains("11025", Assert.Throws<MediaProtocolException>(() => new ExotelSerializer(11025)).Message, StringComparison.Ordinal);
    }
}
