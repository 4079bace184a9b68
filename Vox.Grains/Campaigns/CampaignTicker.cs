using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Grains.Cluster;
using Vox.Grains.Reminders;

namespace Vox.Grains.Campaigns;

/// <summary>
/// Fires campaign tick reminders: the silo that claimed the reminder ticks the campaign as itself, taking or renewing its
/// lease. A tick's claim lasts as long as a lease, so a silo that dies mid-tick holds the reminder up no longer than
/// its lease holds the campaign: another silo takes over within the lease TTL plus one tick either way.
/// </summary>
public sealed partial class CampaignTicker(CampaignDirectory campaigns, SiloIdentity silo, IOptions<CampaignOptions> options, ILogger<CampaignTicker> logger) : IReminderHandler
{
    /// <inheritdoc />
    public string GrainType => CampaignGrain.GrainType;

    /// <inheritdoc />
    public TimeSpan? ClaimTtl => TimeSpan.FromMilliseconds(options.Value.LeaseTtlMs);

    /// <inheritdoc />
    public async Task ReceiveReminderAsync(string grainKey, string name, CancellationToken cancellationToken)
    {
        var result = await campaigns.Create(grainKey).TickAsync(silo.SiloId, cancellationToken).ConfigureAwait(false);
        if (result.Holder)
        {
            LogTick(logger, grainKey, result.Epoch, result.Launched, result.OutcomesApplied);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Campaign {CampaignId} tick (epoch {Epoch}): {Launched} launched, {Settled} outcomes applied")]
    private static partial void LogTick(ILogger logger, string campaignId, long epoch, int launched, int settled);
}
