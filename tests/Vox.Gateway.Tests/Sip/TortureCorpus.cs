namespace Vox.Gateway.Tests.Sip;

/// <summary>
/// Messages written from the descriptions in RFC 4475 (SIP torture tests), with the handling the RFC expects:
/// parse and accept, answer with a status, or drop. Line ends are written as \n and sent as CRLF unless a case says otherwise.
/// </summary>
public static class TortureCorpus
{
    /// <summary>What the server should do with a case.</summary>
    public enum Expect { Valid, Answer400, Answer505, Answer416, Drop }

    /// <summary>One case: RFC 4475 name, expected handling, the message text.</summary>
    public sealed record Case(string Name, Expect Expect, string Text, bool RawLineEnds = false)
    {
        public byte[] Bytes => System.Text.Encoding.UTF8.GetBytes(RawLineEnds ? Text : Crlf(Text.Contains("\n\n", StringComparison.Ordinal) ? Text : Text + "\n"));

        private static string Crlf(string text) => text.Replace("\r\n", "\n").Replace("\n", "\r\n");

        public override string ToString() => Name;
    }

    public static IEnumerable<object[]> Cases => All.Select(c => new object[] { c });

    public static readonly Case[] All =
    [
        // 3.1.1.1 A short tortuous INVITE: compact headers, folded lines, odd case, escapes, LWS everywhere.
        new("wsinv", Expect.Valid, """
INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0
TO :
 sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n
from   : "J Rosenberg \\\""       <sip:jdrosen@example.com>
  ;
  tag = 98asjd8
MaX-fOrWaRdS: 0068
Call-ID: wsinv.ndaksdj@192.0.2.1
Content-Length   : 149
cseq: 0009
  INVITE
Via  : SIP  /   2.0
 /UDP
    192.0.2.2;branch=390skdjuw
s :
NewFangledHeader:   newfangled value
 continued newfangled value
UnknownHeaderWithUnusualValue: ;;,,;;,;
Content-Type: application/sdp
Route:
 <sip:services.example.com;lr;unknownwith=value;unknown-no-value>
v:  SIP  / 2.0  / TCP     spindle.example.com   ;
  branch  =   z9hG4bK9ikj8  ,
 SIP  /    2.0   / UDP  192.168.255.111   ; branch=
 z9hG4bK30239
m:"Quoted string \"\"" <sip:jdrosen@example.com> ; newparam =
      newvalue ;
  secondparam ; q = 0.33

v=0
o=mhandley 29739 7272939 IN IP4 192.0.2.3
s=-
c=IN IP4 192.0.2.4
t=0 0
m=audio 492170 RTP/AVP 0 12
m=video 3227 RTP/AVP 31
a=rtpmap:31 LPC
"""),
        // 3.1.1.2 Wide range of valid characters in a method and tokens.
        new("intmeth", Expect.Valid, """
!interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0
Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~
To: "BEL:\x NUL:\y DEL:\z" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>
From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="работающий";tag=_token~1'+`*%!-.
Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\/"][?}{
CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~
Max-Forwards: 255
extensionHeader-!.%*+_`'~:﻿大停電
Content-Length: 0

"""),
        // 3.1.1.3 Escaped characters in the Request-URI user part.
        new("esc01", Expect.Valid, """
INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0
To: sip:%75se%72@example.com
From: <sip:I%20have%20spaces@example.net>;tag=938
Max-Forwards: 87
i: esc01.239409asdfakjkn23onasd0-3234
CSeq: 234234 INVITE
Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw
C: application/sdp
Contact:
  <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>
Content-Length: 0

"""),
        // 3.1.1.4 Escaped null in a URI user part.
        new("escnull", Expect.Valid, """
REGISTER sip:example.com SIP/2.0
To: sip:null-%00-null@example.com
From: sip:null-%00-null@example.com;tag=839923423
Max-Forwards: 70
Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd
CSeq: 14398234 REGISTER
Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw
Contact: <sip:%00@host5.example.com>
Contact: <sip:%00%00@host5.example.com>
L:0

"""),
        // 3.1.1.6 Message with no LWS between display name and <.
        new("lwsdisp", Expect.Valid, """
OPTIONS sip:user@example.com SIP/2.0
To: sip:user@example.com
From: caller<sip:caller@example.com>;tag=323
Max-Forwards: 70
Call-ID: lwsdisp.1234abcd@funky.example.com
CSeq: 60 OPTIONS
Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw
l: 0

"""),
        // 3.1.1.8 Extra trailing octets after Content-Length in a UDP datagram are ignored.
        new("dblreq", Expect.Valid, """
REGISTER sip:example.com SIP/2.0
To: sip:j.user@example.com
From: sip:j.user@example.com;tag=43251j3j324
Max-Forwards: 8
I: dblreq.0ha0isndaksdj99sdfafnl3lk233412
Contact: sip:j.user@host.example.com
CSeq: 8 REGISTER
Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKon23nkasdkfjd
Content-Length: 0

INVITE sip:joe@example.com SIP/2.0
t: sip:joe@example.com
From: sip:caller@example.net;tag=141334
"""),
        // 3.1.1.9 Semicolon-separated parameters in a URI user part.
        new("semiuri", Expect.Valid, """
OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0
To: sip:j_user@example.com
From: sip:caller@example.org;tag=33242
Max-Forwards: 3
Call-ID: semiuri.0ha0isndaksdj
CSeq: 8 OPTIONS
Accept: application/sdp, application/pkcs7-mime,
        multipart/mixed, multipart/signed,
        message/sip, message/sipfrag
Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw
l: 0

"""),
        // 3.1.1.10 Varied and unknown transport types in Via.
        new("transports", Expect.Valid, """
OPTIONS sip:user@example.com SIP/2.0
To: sip:user@example.com
From: <sip:caller@example.com>;tag=323
Max-Forwards: 70
Call-ID:  transports.kijh4akdnaqjkwendsasfdj
Accept: application/sdp
CSeq: 60 OPTIONS
Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw
Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf
Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj
Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en
Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee
l: 0

"""),
        // 3.1.1.12 Unusual reason phrase (UTF-8) in a response.
        new("unreason", Expect.Valid, """
SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое
Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923
Call-ID: unreason.1234ksdfak3j2erwedfsASdf
CSeq: 35 INVITE
From: sip:user@example.com;tag=11141343
To: sip:user@example.edu;tag=2229
Content-Length: 0
Contact: <sip:user@host198.example.com>

"""),
        // 3.1.1.13 Empty reason phrase.
        new("noreason", Expect.Valid, "SIP/2.0 100 \r\nVia: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe\r\nCall-ID: noreason.asndj203insdf99223ndf\r\nCSeq: 35 INVITE\r\nFrom: <sip:user@example.com>;tag=39ansfi3\r\nTo: <sip:user@example.edu>;tag=902jndnke3\r\nContent-Length: 0\r\n\r\n", RawLineEnds: true),
        // 3.1.2.1 Extraneous header field separators (an empty Via value between commas) still parse.
        new("bare LF line ends", Expect.Valid, "OPTIONS sip:user@example.com SIP/2.0\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bKlf\nTo: sip:user@example.com\nFrom: sip:c@example.com;tag=1\nCall-ID: lf.1\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n", RawLineEnds: true),
        // 3.1.2.2 Content-Length larger than the message.
        new("clerr", Expect.Answer400, """
INVITE sip:user@example.com SIP/2.0
Max-Forwards: 80
To: sip:j.user@example.com
From: sip:caller@example.net;tag=93942939o2
Contact: <sip:caller@hungry.example.net>
Call-ID: clerr.0ha0isndaksdjweiafasdk3
CSeq: 8 INVITE
Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bK-39234-23523
Content-Type: application/sdp
Content-Length: 9999

v=0
o=mhandley 29739 7272939 IN IP4 192.0.2.155
s=-
c=IN IP4 192.0.2.155
t=0 0
m=audio 49217 RTP/AVP 0
"""),
        // 3.1.2.3 Negative Content-Length.
        new("ncl", Expect.Answer400, """
INVITE sip:user@example.com SIP/2.0
Max-Forwards: 254
To: sip:j.user@example.com
From: sip:caller@example.net;tag=32394234
Call-ID: ncl.0ha0isndaksdj2193423r542w35
CSeq: 0 INVITE
Via: SIP/2.0/UDP 192.0.2.53;branch=z9hG4bKkdjuw
Contact: <sip:caller@example53.example.net>
Content-Type: application/sdp
Content-Length: -999

v=0
"""),
        // 3.1.2.4 Request scalar fields with overlarge values.
        new("scalar02", Expect.Answer400, """
REGISTER sip:example.com SIP/2.0
Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3
To: <sip:user@example.com>
From: <sip:user@example.com>;tag=239232jh3
CSeq: 36893488147419103232 REGISTER
Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32
Max-Forwards: 300
Expires: 1000000000000000000000000000000
Contact: <sip:user@host129.example.com>
  ;expires=280297596632815
Content-Length: 0

"""),
        // 3.1.2.5 Response scalar fields with overlarge values: a status code that is not three digits is dropped.
        new("scalarlg", Expect.Drop, """
SIP/2.0 503 Service Unavailable
Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129
To: <sip:user@example.com>
From: <sip:other@example.net>;tag=2easdjfejw
CSeq: 9292394834772304023312 OPTIONS
Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r
Retry-After: 949302838503028349304023988
Warning: 1812 overture "In Progress"
Content-Length: 0

"""),
        // 3.1.2.6 Unterminated quoted string in display name.
        new("quotbal", Expect.Answer400, """
INVITE sip:user@example.com SIP/2.0
To: "Mr. J. User <sip:j.user@example.com>
From: sip:caller@example.net;tag=93334
Max-Forwards: 10
Call-ID: quotbal.aksdj
Contact: <sip:caller@host59.example.net>
CSeq: 8 INVITE
Via: SIP/2.0/UDP 192.0.2.59:5050;branch=z9hG4bKkdjuw39234
Content-Type: application/sdp
Content-Length: 0

"""),
        // 3.1.2.7 <> enclosing the Request-URI.
        new("ltgtruri", Expect.Answer400, """
INVITE <sip:user@example.com> SIP/2.0
To: sip:user@example.com
From: sip:caller@example.net;tag=39291
Max-Forwards: 23
Call-ID: ltgtruri.1@192.0.2.5
CSeq: 1 INVITE
Via: SIP/2.0/UDP 192.0.2.5
Contact: <sip:caller@host5.example.net>
Content-Type: application/sdp
Content-Length: 0

"""),
        // 3.1.2.8 Malformed SIP Request-URI (embedded LWS): the request line does not have three parts.
        new("lwsruri", Expect.Answer400, """
INVITE sip:user@example.com; lr SIP/2.0
To: sip:user@example.com;tag=3xfe-9921883-z9f
From: sip:caller@example.net;tag=231413434
Max-Forwards: 5
Call-ID: lwsruri.asdfasdoeoi2323-asdfwrn23-asd834rk423
CSeq: 2130706432 INVITE
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKkdjuw2349i
Contact: <sip:caller@host1.example.net>
Content-Length: 0

"""),
        // 3.1.2.9 Multiple SP separating Request-Line elements.
        new("lwsstart", Expect.Answer400, """
INVITE  sip:user@example.com  SIP/2.0
Max-Forwards: 8
To: sip:user@example.com
From: sip:caller@example.net;tag=8814
Call-ID: lwsstart.dfknq234oi243099adsdfnawe3@example.com
CSeq: 1893884 INVITE
Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw3923
Contact: <sip:caller@host1.example.net>
Content-Length: 0

"""),
        // 3.1.2.11 Escaped headers in the Request-URI of a request (accepted; we ignore them).
        // 3.1.2.13 Failure to enclose name-addr URI in <>.
        new("regbadct", Expect.Answer400, """
REGISTER sip:example.com SIP/2.0
To: sip:user@example.com
From: sip:user@example.com;tag=998332
Max-Forwards: 70
Call-ID: regbadct.k345asrl3fdbv@10.0.0.1
CSeq: 1 REGISTER
Via: SIP/2.0/UDP 135.180.130.133:5060;branch=z9hG4bKkdjuw
Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E"
l: 0

"""),
        // 3.1.2.14 Spaces within addr-spec.
        new("badaspec", Expect.Answer400, """
OPTIONS sip:user@example.org SIP/2.0
Via: SIP/2.0/UDP host4.example.com:5060;branch=z9hG4bKkdju43234
Max-Forwards: 70
From: "Bell, Alexander" <sip:a.g.bell@example.com>;tag=433423
To: "Watson, Thomas" < sip:t.watson@example.org >
Call-ID: badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3
Accept: application/sdp
CSeq: 3923239 OPTIONS
l: 0

"""),
        // 3.1.2.16 Unknown protocol version.
        new("badvers", Expect.Answer505, """
OPTIONS sip:t.watson@example.org SIP/7.0
Via:     SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw
Max-Forwards:     70
From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe
To:      T. Watson <sip:t.watson@example.org>
Call-ID: badvers.31417@c.example.com
CSeq:    1 OPTIONS
l: 0

"""),
        // 3.1.2.17 Start line and CSeq method mismatch.
        new("mismatch01", Expect.Answer400, """
OPTIONS sip:user@example.com SIP/2.0
To: sip:j.user@example.com
From: sip:caller@example.net;tag=34525
Max-Forwards: 6
Call-ID: mismatch01.dj0234sxdfl3
CSeq: 8 INVITE
Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw
l: 0

"""),
        // 3.1.2.18 Unknown method with CSeq method mismatch.
        new("mismatch02", Expect.Answer400, """
NEWMETHOD sip:user@example.com SIP/2.0
To: sip:j.user@example.com
From: sip:caller@example.net;tag=34525
Max-Forwards: 6
Call-ID: mismatch02.dj0234sxdfl3
CSeq: 8 INVITE
Contact: <sip:caller@host.example.net>
Via: SIP/2.0/UDP host.example.net;branch=z9hG4bKkdjuw
Content-Type: application/sdp
l: 138

v=0
o=mhandley 29739 7272939 IN IP4 192.0.2.1
c=IN IP4 192.0.2.1
m=audio 49217 RTP/AVP 0 12
m=video 3227 RTP/AVP 31
a=rtpmap:31 LPC
"""),
        // 3.1.2.19 Overlarge response code.
        new("bigcode", Expect.Drop, """
SIP/2.0 4294967301 better not break the receiver
Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i
CSeq: 353494 INVITE
From: <sip:user@example.com>;tag=39ansfi3
To: <sip:user@example.edu>;tag=902jndnke3
Content-Length: 0
Contact: <sip:user@host105.example.com>

"""),
        // 3.1.2.x Missing mandatory headers (insuf): no Call-ID, From, To -> cannot address a response reliably -> 400 if possible.
        new("insuf", Expect.Drop, """
INVITE sip:user@example.com SIP/2.0
CSeq: 193942 INVITE
Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf
Content-Type: application/sdp
l: 0

"""),
        // Missing Call-ID but addressable otherwise -> 400? Without Call-ID a response cannot match: dropped.
        new("missing Max-Forwards but otherwise fine", Expect.Valid, """
OPTIONS sip:user@example.com SIP/2.0
To: sip:user@example.com
From: sip:caller@example.com;tag=1
Call-ID: nomf.1
CSeq: 1 OPTIONS
Via: SIP/2.0/UDP h.example.com;branch=z9hG4bKnomf
l: 0

"""),
        // 3.3.x Unsupported URI scheme in the Request-URI.
        new("unkscm", Expect.Answer416, """
OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0
To: sip:user@example.com
From: sip:caller@example.net;tag=384
Max-Forwards: 3
Call-ID: unkscm.nasdfasser0q239nwsdfasdkl34
CSeq: 3923423 OPTIONS
Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234
Content-Length: 0

"""),
        // Two Content-Length headers.
        new("two content lengths", Expect.Answer400, """
OPTIONS sip:user@example.com SIP/2.0
To: sip:user@example.com
From: sip:caller@example.com;tag=1
Call-ID: twocl.1
CSeq: 1 OPTIONS
Via: SIP/2.0/UDP h.example.com;branch=z9hG4bKtwocl
Content-Length: 0
Content-Length: 0

"""),
        // A header line without a colon.
        new("header without colon", Expect.Answer400, """
OPTIONS sip:user@example.com SIP/2.0
To: sip:user@example.com
From: sip:caller@example.com;tag=1
Call-ID: nocolon.1
CSeq: 1 OPTIONS
Via: SIP/2.0/UDP h.example.com;branch=z9hG4bKnocolon
This line has no colon
Content-Length: 0

"""),
        new("no blank line", Expect.Drop, "OPTIONS sip:user@example.com SIP/2.0\r\nTo: sip:user@example.com\r\n", RawLineEnds: true),
        new("binary garbage", Expect.Drop, "\u0001\u0002\u0003\u00ff\r\n\r\n", RawLineEnds: true),
    ];
}
