namespace Vox.Grains.Campaigns;

/// <summary>The states of a campaign contact (<c>campaign_contacts.state</c>).</summary>
public static class ContactStates
{
    /// <summary>Waiting for its next attempt (at <c>next_attempt_at</c>).</summary>
    public const string Pending = "pending";

    /// <summary>An attempt is in flight.</summary>
    public const string Dialling = "dialling";

    /// <summary>Final: answered.</summary>
    public const string Completed = "completed";

    /// <summary>Final: attempts exhausted.</summary>
    public const string Failed = "failed";

    /// <summary>Final: on the tenant's do-not-call list, never dialled.</summary>
    public const string DoNotCall = "do_not_call";

    /// <summary>Final: the campaign was cancelled or ended first.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every state, in report order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Dialling, Completed, Failed, DoNotCall, Cancelled];
}
