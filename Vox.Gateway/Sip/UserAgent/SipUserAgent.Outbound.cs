namespace Vox.Gateway.Sip.UserAgent;

/// <summary>Outbound calls and transfers.</summary>
public sealed partial class SipUserAgent
{
    private Task OnNotifyAsync(SipCall call, Vox.Gateway.Sip.Messages.SipRequest notify) => Task.CompletedTask;
}
