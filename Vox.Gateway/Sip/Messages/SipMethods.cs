namespace Vox.Gateway.Sip.Messages;

/// <summary>The request methods Vox speaks.</summary>
public static class SipMethods
{
    /// <summary>INVITE.</summary>
    public const string Invite = "INVITE";
    /// <summary>ACK.</summary>
    public const string Ack = "ACK";
    /// <summary>BYE.</summary>
    public const string Bye = "BYE";
    /// <summary>CANCEL.</summary>
    public const string Cancel = "CANCEL";
    /// <summary>OPTIONS.</summary>
    public const string Options = "OPTIONS";
    /// <summary>REFER.</summary>
    public const string Refer = "REFER";
    /// <summary>NOTIFY.</summary>
    public const string Notify = "NOTIFY";
    /// <summary>INFO.</summary>
    public const string Info = "INFO";

    /// <summary>The Allow header value.</summary>
    public const string Allowed = "INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, INFO";
}
