using Vox.Gateway.Sip.Messages;

namespace Vox.Gateway.Tests.Sip;

public sealed class SipTortureTests
{
    [Theory]
    [MemberData(nameof(TortureCorpus.Cases), MemberType = typeof(TortureCorpus))]
    public void Torture_message_is_handled_as_RFC_4475_says(TortureCorpus.Case torture)
    {
        var result = SipIntake.Accept(torture.Bytes);
        switch (torture.Expect)
        {
            case TortureCorpus.Expect.Valid:
                Assert.True(result.Message is not null, $"{torture.Name} rejected: {result.Error}");
                Assert.Null(result.Reply);
                break;
            case TortureCorpus.Expect.Drop:
                Assert.Null(result.Message);
                Assert.Null(result.Reply);
                break;
            default:
                var code = torture.Expect switch { TortureCorpus.Expect.Answer505 => 505, TortureCorpus.Expect.Answer416 => 416, _ => 400 };
                Assert.True(result.Reply is not null, $"{torture.Name} not answered: {result.Error}");
                Assert.Equal(code, result.Reply.StatusCode);
                // The reply parses as a response (it copies the request's headers, bad ones included, as RFC 3261 8.2.6.2 says).
                Assert.True(SipParser.Parse(result.Reply.ToBytes()).Message is SipResponse { StatusCode: var sent } && sent == code, "the reply we send parses");
                break;
        }
    }

    [Fact]
    public void Tortuous_invite_exposes_unfolded_compact_and_list_headers()
    {
        var message = (SipRequest)SipIntake.Accept(TortureCorpus.All.Single(c => c.Name == "wsinv").Bytes).Message!;
        Assert.Equal("INVITE", message.Method);
        Assert.Equal("wsinv.ndaksdj@192.0.2.1", message.CallId);
        Assert.Equal(new CSeqHeader(9, "INVITE"), message.CSeq);
        Assert.Equal("98asjd8", message.From!.Tag);
        Assert.Equal("1918181833n", message.To!.Tag);
        Assert.Equal(3, message.Headers.Count("Via"));
        var vias = message.Headers.GetAll("v").Select(v => ViaHeader.TryParse(v, out var via) ? via : null).ToList();
        Assert.Equal(["UDP", "TCP", "UDP"], vias.Select(v => v!.Transport));
        Assert.Equal("z9hG4bK30239", vias[2]!.Branch);
        Assert.Equal("newfangled value continued newfangled value", message.Headers["NewFangledHeader"]);
        Assert.Equal("application/sdp", message.Headers["c"]);
        Assert.Equal(149, message.Body.Length);
        Assert.True(NameAddress.TryParse(message.Headers["Contact"], out var contact));
        Assert.Equal("Quoted string \\\"\\\"", contact.DisplayName);
        Assert.Equal("0.33", contact.Parameters["q"]);
    }

    [Fact]
    public void Written_message_parses_back_to_the_same_fields()
    {
        var request = new SipRequest { Method = "INVITE", RequestUri = "sip:+14155550199@127.0.0.1:5060" };
        request.Headers.Add("Via", "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1;rport, SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK2")
            .Add("From", "\"Alice\" <sip:alice@example.com>;tag=a1")
            .Add("To", "<sip:+14155550199@example.com>")
            .Add("Call-ID", "abc@h")
            .Add("CSeq", "1 INVITE")
            .Add("Contact", "<sip:alice@127.0.0.1:5070>")
            .Add("Max-Forwards", "70");
        request.SetBody("application/sdp", "v=0\r\n");

        var back = (SipRequest)SipIntake.Accept(request.ToBytes()).Message!;
        Assert.Equal(2, back.Headers.Count("Via"));
        Assert.Equal("+14155550199", SipUri.TryParse(back.RequestUri, out var uri) ? uri.User : null);
        Assert.Equal(5060, uri.Port);
        Assert.Equal("v=0\r\n", back.BodyText);
        Assert.Equal("Alice", back.From!.DisplayName);

        var ok = SipResponse.Create(back, 200, toTag: "t9");
        var parsedOk = (SipResponse)SipIntake.Accept(ok.ToBytes()).Message!;
        Assert.Equal("t9", parsedOk.To!.Tag);
        Assert.Equal("a1", parsedOk.From!.Tag);
        Assert.Equal("z9hG4bK1", parsedOk.TopVia!.Branch);
        Assert.Equal(2, parsedOk.Headers.Count("Via"));
    }

    [Fact]
    public void Stream_framing_waits_for_the_body_and_splits_pipelined_messages()
    {
        var one = TortureCorpus.All.Single(c => c.Name == "lwsdisp").Bytes;
        var two = one.Concat(one).ToArray();
        Assert.Equal(0, SipParser.FrameLength(one.AsSpan(0, one.Length - 3)));
        Assert.Equal(one.Length, SipParser.FrameLength(two));
        Assert.Equal(-1, SipParser.FrameLength("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n"u8));
    }
}
