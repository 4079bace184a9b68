using Vox.Gateway.Sip.Dialogs;
using Vox.Gateway.Sip.Sdp;
using Vox.Gateway.Sip.Transactions;
using Vox.Grains.Capacity;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>One SIP call the gateway carries the signalling of: the Vox call, its worker, its dialog and its media terms.</summary>
public sealed class SipCall(string callId, string tenantId, string botId, CallDirection direction)
{
    private int _ended;

    /// <summary>The Vox call id.</summary>
    public string CallId { get; } = callId;

    /// <summary>Owner of the call.</summary>
    public string TenantId { get; } = tenantId;

    /// <summary>The bot.</summary>
    public string BotId { get; } = botId;

    /// <summary>Inbound or outbound.</summary>
    public CallDirection Direction { get; } = direction;

    /// <summary>Serialises state changes on the call.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The worker reserved for the call.</summary>
    public ReservedWorker? Worker { get; set; }

    /// <summary>True once the worker opened an RTP session for the call.</summary>
    public bool RtpOpened { get; set; }

    /// <summary>The worker's RTP address and port (what our SDP says).</summary>
    public (string Address, int Port) LocalMedia { get; set; }

    /// <summary>The dialog once established (early or confirmed).</summary>
    public SipDialog? Dialog { get; set; }

    /// <summary>The INVITE transaction that created the call (inbound) or the re-INVITE being answered.</summary>
    public ServerInviteTransaction? InviteTransaction { get; set; }

    /// <summary>The negotiated media.</summary>
    public SdpAnswer? Media { get; set; }

    /// <summary>Version of our SDP (o= line), bumped on every new description.</summary>
    public long SdpVersion { get; set; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>True once the caller's ACK arrived (inbound) or we sent ours (outbound): media runs.</summary>
    public bool Confirmed { get; set; }

    /// <summary>True when a CANCEL arrived before the answer.</summary>
    public bool Cancelled { get; set; }

    /// <summary>Cancels the outbound INVITE flow (ring timeout, API hang-up).</summary>
    public CancellationTokenSource Abort { get; } = new();

    /// <summary>Marks the call ended; true only for the first caller.</summary>
    public bool TryEnd() => Interlocked.Exchange(ref _ended, 1) == 0;

    /// <summary>True once ended.</summary>
    public bool Ended => Volatile.Read(ref _ended) != 0;
}
