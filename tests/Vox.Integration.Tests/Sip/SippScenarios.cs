namespace Vox.Integration.Tests.Sip;

/// <summary>sipp scenarios the built-in set lacks, written to a file for <c>-sf</c>.</summary>
public static class SippScenarios
{
    /// <summary>The INVITE a sipp caller sends (retransmitted until answered), offering <paramref name="formats"/> (0 PCMU, 101 telephone-event).</summary>
    private static string Invite(string tag, string formats) => $$"""
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag{{tag}}[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: sip:sipp@[local_ip]:[local_port]
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP {{formats}}
{{string.Join("\n", formats.Split(' ').Select(f => "      a=rtpmap:" + f + (f == "0" ? " PCMU/8000" : " telephone-event/8000")))}}
    ]]>
  </send>
""";

    // The ACK to a final failure response to the INVITE of tag <paramref name="tag"/>: same transaction (its Via), same tags.
    private static string AckFailure(string tag) => $$"""
  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag{{tag}}[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
""";

    /// <summary>INVITE, wait for 180, CANCEL, expect 200 to the CANCEL and 487 to the INVITE, ACK it.</summary>
    public static string CancelAfterRinging => $$"""
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="cancel after ringing">
{{Invite("00", "0 101")}}
  <recv response="100" optional="true"/>
  <recv response="180"/>
  <send>
    <![CDATA[
      CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 CANCEL
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200"/>
  <recv response="487"/>
{{AckFailure("00")}}
</scenario>
""";

    /// <summary>INVITE, expect a refusal with <paramref name="status"/> carrying Retry-After, ACK it.</summary>
    public static string Refused(int status) => $$"""
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="refused {{status}}">
{{Invite("01", "0")}}
  <recv response="100" optional="true"/>
  <recv response="{{status}}">
    <action>
      <ereg regexp="Retry-After: [0-9]+" search_in="msg" check_it="true" assign_to="retry"/>
    </action>
  </recv>
{{AckFailure("01")}}
  <Reference variables="retry"/>
</scenario>
""";

    /// <summary>An INVITE that must be answered with the final <paramref name="status"/>, which is acknowledged.</summary>
    public static string Rejected(int status) => $$"""
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="rejected {{status}}">
{{Invite("03", "0")}}
  <recv response="100" optional="true"/>
  <recv response="{{status}}"/>
{{AckFailure("03")}}
</scenario>
""";

    /// <summary>A call that connects, holds <paramref name="holdMs"/> milliseconds (sending no RTP) and hangs up.</summary>
    public static string Hold(int holdMs) => $$"""
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="call and hold">
{{Invite("02", "0 101")}}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rtd="true"/>
  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag02[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <pause milliseconds="{{holdMs}}"/>
  <send retrans="500">
    <![CDATA[
      BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag02[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200" crlf="true"/>
</scenario>
""";

    /// <summary>A callee that answers every INVITE with <paramref name="status"/> and takes the ACK.</summary>
    public static string CalleeRefuses(int status) => $$"""
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="callee refuses {{status}}">
  <recv request="INVITE"/>
  <send>
    <![CDATA[
      SIP/2.0 {{status}} Refused
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag03[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
  <recv request="ACK"/>
</scenario>
""";

    /// <summary>A callee that rings and never answers: expects the CANCEL, answers 200 and 487, takes the ACK.</summary>
    public const string CalleeNeverAnswers = """
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="callee never answers">
  <recv request="INVITE"/>
  <send>
    <![CDATA[
      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag04[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port]>
      Content-Length: 0
    ]]>
  </send>
  <recv request="CANCEL"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag04[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
  <send>
    <![CDATA[
      SIP/2.0 487 Request Terminated
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag04[call_number]
      [last_Call-ID:]
      CSeq: [cseq] INVITE
      Content-Length: 0
    ]]>
  </send>
  <recv request="ACK"/>
</scenario>
""";

    /// <summary>A callee behind a trunk that demands digest authentication, then answers (PCMU) and waits for BYE.</summary>
    public const string CalleeWithDigest = """
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="callee with digest">
  <recv request="INVITE"/>
  <send>
    <![CDATA[
      SIP/2.0 401 Unauthorized
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag05[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      WWW-Authenticate: Digest realm="trunk.test", nonce="4a3b2c1d0e", qop="auth", algorithm=MD5
      Content-Length: 0
    ]]>
  </send>
  <recv request="ACK"/>
  <recv request="INVITE">
    <action>
      <verifyauth assign_to="authvalid" username="vox" password="s3cret"/>
    </action>
  </recv>
  <nop hide="true" test="authvalid" next="good"/>
  <send>
    <![CDATA[
      SIP/2.0 403 Bad credentials
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag05[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
  <recv request="NEVER" timeout="100"/>
  <label id="good"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag05[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0
      a=rtpmap:0 PCMU/8000
    ]]>
  </send>
  <recv request="ACK"/>
  <recv request="BYE"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
</scenario>
""";

    /// <summary>A caller that connects, accepts the REFER (202), reports the transfer target answered (NOTIFY sipfrag 200) and takes the BYE.</summary>
    public static string CallerAcceptsTransfer => Transferee("0", "");

    /// <summary>
    /// A caller that connects offering telephone-event, presses 0 (RFC 4733, sipp's packaged pcap) a second after its ACK, then
    /// accepts the REFER that follows as <see cref="CallerAcceptsTransfer"/> does.
    /// </summary>
    public static string CallerPressesZeroAndAcceptsTransfer => Transferee("0 101", """
  <pause milliseconds="1000"/>
  <nop>
    <action>
      <exec play_pcap_audio="pcap/dtmf_2833_0.pcap"/>
    </action>
  </nop>

""");

    private static string Transferee(string formats, string afterAck) => $$"""
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="caller accepts transfer">
{{Invite("06", formats)}}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"/>
  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag06[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
{{afterAck}}  <recv request="REFER" timeout="30000">
    <action>
      <ereg regexp="Refer-To: .sip:[+]14155550777@" search_in="msg" check_it="true" assign_to="target"/>
    </action>
  </recv>
  <send>
    <![CDATA[
      SIP/2.0 202 Accepted
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: sip:sipp@[local_ip]:[local_port]
      Content-Length: 0
    ]]>
  </send>
  <send retrans="500">
    <![CDATA[
      NOTIFY sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag06[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 NOTIFY
      Contact: sip:sipp@[local_ip]:[local_port]
      Event: refer
      Subscription-State: terminated;reason=noresource
      Max-Forwards: 70
      Content-Type: message/sipfrag;version=2.0
      Content-Length: [len]

      SIP/2.0 200 OK
    ]]>
  </send>
  <recv response="200"/>
  <recv request="BYE"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
  <Reference variables="target"/>
</scenario>
""";

    /// <summary>A callee whose answering machine answers (PCMA) and plays a long spoken greeting, then waits for BYE.</summary>
    public const string CalleeAnsweringMachine = """
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="answering machine">
  <recv request="INVITE"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag07[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8
      a=rtpmap:8 PCMA/8000
    ]]>
  </send>
  <recv request="ACK"/>
  <nop>
    <action>
      <exec play_pcap_audio="pcap/g711a.pcap"/>
    </action>
  </nop>
  <recv request="BYE" timeout="30000"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
</scenario>
""";
}
