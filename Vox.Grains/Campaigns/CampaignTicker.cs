using Microsoft.Extensions.Logging;
using Vox.Grains.Cluster;
using Vox.Grains.Reminders;

namespace Vox.Grains.Campaigns;

/// <summary>Fires campaign tick reminders: the silo that claimed the reminder ticks the campaign as itself, taking or renewing its lease.</summary>
public sealed partial class CampaignTicker(CampaignDirectory campaigns, SiloIdentity silo, ILogger<CampaignTicker> logger) : IReminderHandler
{
    /// <inheritdoc />
    public string GrainType => CampaignGrain.GrainType;

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
