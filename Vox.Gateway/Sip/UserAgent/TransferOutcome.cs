namespace Vox.Gateway.Sip.UserAgent;

/// <summary>What asking for a blind transfer did.</summary>
public enum TransferOutcome
{
    /// <summary>The far end accepted the REFER (202); completion follows by NOTIFY.</summary>
    Accepted,
    /// <summary>The far end refused the REFER.</summary>
    Refused,
    /// <summary>This gateway does not carry the call's dialog (not a SIP call, not answered yet, or another silo's).</summary>
    NotHere,
}
