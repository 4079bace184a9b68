namespace Vox.Grains.Campaigns;

/// <summary>Where a campaign is in its life: drafted, dialling, held, finished or stopped.</summary>
public enum CampaignStatus
{
    /// <summary>Created; contacts may be imported; nothing is dialled.</summary>
    Draft,

    /// <summary>The lease holder's ticks launch calls.</summary>
    Running,

    /// <summary>Held: no new calls; calls in flight finish and are recorded.</summary>
    Paused,

    /// <summary>Every contact is final.</summary>
    Completed,

    /// <summary>Stopped for good by the operator.</summary>
    Cancelled,
}
